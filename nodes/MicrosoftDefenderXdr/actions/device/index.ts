import { DEVICE } from '../../../shared/resources/device';
import { collectInvestigationPackage } from './collectInvestigationPackage.operation';
import * as findByIp from './findByIp.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import { isolate } from './isolate.operation';
import { releaseFromIsolation } from './releaseFromIsolation.operation';
import { removeAppRestriction } from './removeAppRestriction.operation';
import { restrictAppExecution } from './restrictAppExecution.operation';
import { runAntivirusScan } from './runAntivirusScan.operation';
import { stopAndQuarantineFile } from './stopAndQuarantineFile.operation';

/** Devices in Defender for Endpoint: read them, and act on them. */
export const resource = DEVICE;

export const defaultOperation = 'isolate';

export const operations = {
	collectInvestigationPackage,
	findByIp,
	get,
	getMany,
	isolate,
	releaseFromIsolation,
	removeAppRestriction,
	restrictAppExecution,
	runAntivirusScan,
	stopAndQuarantineFile,
};
