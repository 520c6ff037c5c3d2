import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { CANCEL_SUBJECT, DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import { recordPath } from '../../../shared/resources/resource';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { agentOptInOption, optionsProperty } from '../operation';
import { commentProperty, readComment } from '../device/common';
import { deviceActionIdProperty, deviceActionSubject, readDeviceActionId } from './common';

interface MachineAction extends IDataObject {
	id: string;
	status?: string;
}

export const option = {
	name: 'Cancel',
	description: 'Cancel a device action that is still pending or in progress',
	action: 'Cancel a device action',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE_ACTION.value], operation: ['cancel'] } },
	[
		deviceActionIdProperty,
		commentProperty('the action is cancelled'),
		optionsProperty([agentOptInOption(DEVICE_ACTION, 'cancel')]),
	],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return { ...deviceActionSubject(this, itemIndex), action: 'cancel' };
}

/**
 * Cancels the action. A lost answer is settled by reading the action: Cancelled means the request took effect;
 * anything else fails the item with executed unknown, since the cancellation may still be on its way.
 */
export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const id = readDeviceActionId(this, itemIndex);
	const comment = readComment(this, itemIndex);
	const path = recordPath(DEVICE_ACTION, id);
	const sent = await settle(
		session.post<MachineAction>(
			`${path}/cancel`,
			{ Comment: comment },
			{ subject: CANCEL_SUBJECT },
		),
	);
	const item = (action: MachineAction, requestId: string | null, note?: string) => ({
		deviceActionId: id,
		action: 'cancel',
		outcome: 'executed',
		status: action.status ?? null,
		deviceAction: action,
		requestId,
		...(note ? { note } : {}),
	});
	if (sent.ok) return { items: [item(sent.value.body, sent.value.requestId)] };
	const failure = sent.error as DefenderXdrError;
	if (failure.details.executed !== 'unknown') throw failure;
	const read = await settle(
		session.get<MachineAction>(path, undefined, { subject: DEVICE_ACTION.subject }),
	);
	if (read.ok && read.value.body.status === 'Cancelled') {
		return {
			items: [
				item(
					read.value.body,
					failure.details.requestId,
					`Defender's answer was lost (${failure.details.code}), but the action reads Cancelled.`,
				),
			],
		};
	}
	throw failure;
}
