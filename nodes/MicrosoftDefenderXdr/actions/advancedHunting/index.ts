export * as runQuery from './runQuery.operation';
