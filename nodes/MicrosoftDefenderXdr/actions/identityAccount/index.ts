import { IDENTITY_ACCOUNT } from '../../../shared/resources/identityAccount';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as invokeAction from './invokeAction.operation';

export const resource = IDENTITY_ACCOUNT;

export const defaultOperation = 'get';

export const operations = { get, getMany, invokeAction };
