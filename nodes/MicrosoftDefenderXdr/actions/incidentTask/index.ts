import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import * as executeResponseAction from './executeResponseAction.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const resource = INCIDENT_TASK;

export const defaultOperation = 'executeResponseAction';

export const operations = { executeResponseAction, get, getMany, update };
