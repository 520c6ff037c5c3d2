import { ADVANCED_HUNTING } from '../../../shared/resources/advancedHunting';
import * as runQuery from './runQuery.operation';

export const resource = ADVANCED_HUNTING;

export const defaultOperation = 'runQuery';

export const operations = { runQuery };
