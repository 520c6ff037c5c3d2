import { DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as getInvestigationPackageUri from './getInvestigationPackageUri.operation';
import * as getMany from './getMany.operation';

/** Device actions in Defender for Endpoint: what was asked of a device, and how it went. */
export const resource = DEVICE_ACTION;

export const defaultOperation = 'get';

export const operations = { cancel, get, getInvestigationPackageUri, getMany };
