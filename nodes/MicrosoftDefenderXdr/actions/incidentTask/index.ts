export * as executeResponseAction from './executeResponseAction.operation';
export * as get from './get.operation';
export * as getMany from './getMany.operation';
export * as update from './update.operation';
