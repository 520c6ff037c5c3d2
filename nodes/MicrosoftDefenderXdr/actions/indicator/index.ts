import { INDICATOR } from '../../../shared/resources/indicator';
import * as deleteIndicator from './delete.operation';
import * as getMany from './getMany.operation';
import * as importIndicators from './import.operation';
import * as submit from './submit.operation';

export const resource = INDICATOR;

export const defaultOperation = 'submit';

// `import` and `delete` are words JavaScript reserves, so their modules go by other names here.
export const operations = { delete: deleteIndicator, getMany, import: importIndicators, submit };
