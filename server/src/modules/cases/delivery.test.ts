/**
 * Result delivery (综合窗口出件) through the HTTP API: window pickup with the applicant's code,
 * express delivery with the address from the body or the application, electronic delivery; who
 * may deliver, when, and with which fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, caseAction, caseDetail, demoItem, ITEMS, staffSession, submitCase } from '../../../test/case-fixtures.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody } from './actions.js';
import type { ApplicationInput } from './schemas.js';

let platform: TestPlatform;
let person: Session;
let clerk: Session;
let clerkB: Session;
let approver: Session;
let food: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, clerk, approver } = await loginAll(platform.app, ['person', 'clerk', 'approver']));
  clerkB = await staffSession(platform, { username: 'delivery_clerk_b', name: '窗口 林', department: '深圳市政务服务数据管理局', roles: ['window_clerk'] });
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

type Problem = { code: string };
const problem = (res: LightMyRequestResponse) => res.json() as Problem;
const fields = errorFields;
const act = (session: Session, caseNumber: string, body: Omit<ActionBody, 'version'>, status?: number) => actAndExpect(platform, session, caseNumber, body, status);

/** A case taken to a decision: submitted (with the delivery preference given), accepted, every step done. */
async function decided(outcome: 'approve' | 'deny', overrides: Partial<ApplicationInput> = {}): Promise<string> {
  const { caseNumber } = await submitCase(platform, person, food, overrides);
  await act(clerk, caseNumber, { action: 'accept' });
  let detail = await caseDetail(platform, approver, caseNumber);
  while (detail.currentStep! < detail.steps.length - 1) detail = await act(approver, caseNumber, { action: 'complete_step' });
  await act(approver, caseNumber, outcome === 'approve' ? { action: 'approve' } : { action: 'deny', reason: '不符合条件' });
  return caseNumber;
}

describe('pickup at the window', () => {
  it('needs the code the applicant was given; the code is used up', async () => {
    const caseNumber = await decided('approve');
    const { pickupCode } = await caseDetail(platform, person, caseNumber);
    expect(pickupCode).toMatch(/^\d{6}$/);

    let res = await caseAction(platform, clerk, caseNumber, { action: 'deliver' });
    expect(fields(res)).toEqual(['delivery:case_required']);
    res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'pickup' } });
    expect(fields(res)).toEqual(['delivery.pickupCode:case_required']);
    res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'pickup', pickupCode: '12345' } });
    expect(res.statusCode).toBe(400); // six digits, by the schema
    const wrong = String((Number(pickupCode) + 1) % 1_000_000).padStart(6, '0');
    res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'pickup', pickupCode: wrong } });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('wrong_pickup_code');

    const detail = await act(clerk, caseNumber, { action: 'deliver', delivery: { method: 'pickup', pickupCode: pickupCode! }, comment: '申请人本人领取' });
    expect(detail).toMatchObject({ status: 'delivered', delivery: { method: 'pickup', delivered: { method: 'pickup', by: '窗口 陈静' } } });
    expect(detail.history.at(-1)).toMatchObject({ action: 'deliver', status: 'delivered', comment: '申请人本人领取', detail: { method: 'pickup' } });
    const row = await platform.database.db.selectFrom('cases').select(['delivered_at', 'delivery']).where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
    expect(row.delivered_at).toBeInstanceOf(Date);
    expect(row.delivery).not.toHaveProperty('pickupCode');
    expect((await caseDetail(platform, person, caseNumber)).pickupCode).toBeNull();

    res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'pickup', pickupCode: pickupCode! } });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('action_not_allowed');
  });

  it('a denial is delivered too; without a pickup preference there is no code to match', async () => {
    const denied = await decided('deny');
    const { pickupCode } = await caseDetail(platform, person, denied);
    expect((await act(clerk, denied, { action: 'deliver', delivery: { method: 'pickup', pickupCode: pickupCode! } })).status).toBe('delivered');

    const express = await decided('approve', { delivery: { method: 'express', address: '深圳市福田区福中三路 1 号', recipient: '张三' } });
    expect((await caseDetail(platform, person, express)).pickupCode).toBeNull();
    const res = await caseAction(platform, clerk, express, { action: 'deliver', delivery: { method: 'pickup', pickupCode: '000000' } });
    expect(problem(res).code).toBe('wrong_pickup_code');
  });
});

describe('express delivery', () => {
  it('records carrier and tracking number, with the address from the application unless the body gives one', async () => {
    const caseNumber = await decided('approve', { delivery: { method: 'express', address: '深圳市福田区福中三路 1 号', recipient: '张三', phone: '13800138000' } });
    let res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'express' } });
    expect(fields(res)).toEqual(['delivery.carrier:case_required', 'delivery.trackingNumber:case_required']);
    res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'express', carrier: '中国邮政 EMS', trackingNumber: 'not a tracking number!' } });
    expect(res.statusCode).toBe(400);
    const detail = await act(clerk, caseNumber, { action: 'deliver', delivery: { method: 'express', carrier: '中国邮政 EMS', trackingNumber: 'EA123456789CN' } });
    expect(detail).toMatchObject({
      status: 'delivered',
      delivery: { method: 'express', recipient: '张三', delivered: { method: 'express', carrier: '中国邮政 EMS', trackingNumber: 'EA123456789CN', address: '深圳市福田区福中三路 1 号' } },
    });
    expect(detail.history.at(-1)!.detail).toEqual({ method: 'express', carrier: '中国邮政 EMS', trackingNumber: 'EA123456789CN' });

    const other = await decided('approve', { delivery: { method: 'express', address: '深圳市南山区科技园' } });
    const changed = await act(clerk, other, { action: 'deliver', delivery: { method: 'express', carrier: '顺丰速运', trackingNumber: 'SF1234567890', address: '深圳市宝安区新安街道' } });
    expect(changed.delivery).toMatchObject({ delivered: { address: '深圳市宝安区新安街道' } });
  });

  it('needs an address from somewhere', async () => {
    const caseNumber = await decided('approve');
    const res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'express', carrier: '顺丰速运', trackingNumber: 'SF1234567890' } });
    expect(fields(res)).toEqual(['delivery.address:case_required']);
  });
});

describe('electronic delivery', () => {
  it('records the delivery (the e-license module will issue the result there)', async () => {
    const caseNumber = await decided('approve', { delivery: { method: 'electronic' } });
    const detail = await act(clerk, caseNumber, { action: 'deliver', delivery: { method: 'electronic' } });
    expect(detail).toMatchObject({ status: 'delivered', delivery: { method: 'electronic', delivered: { method: 'electronic' } } });
  });
});

describe('who and when', () => {
  it('only the window delivers, only a decided case, and two clerks at once get one 409', async () => {
    const { caseNumber } = await submitCase(platform, person, food);
    await act(clerk, caseNumber, { action: 'accept' });
    let res = await caseAction(platform, clerk, caseNumber, { action: 'deliver', delivery: { method: 'electronic' } });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('action_not_allowed');

    const decidedCase = await decided('approve', { delivery: { method: 'electronic' } });
    for (const session of [approver, person]) {
      res = await caseAction(platform, session, decidedCase, { action: 'deliver', delivery: { method: 'electronic' } });
      expect(res.statusCode, session.user.name).toBe(403);
    }
    const { version } = await caseDetail(platform, clerk, decidedCase);
    const results = await Promise.all([clerk, clerkB].map((s) => caseAction(platform, s, decidedCase, { action: 'deliver', version, delivery: { method: 'electronic' } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const history = (await caseDetail(platform, clerk, decidedCase)).history.filter((h) => h.action === 'deliver');
    expect(history).toHaveLength(1);
  });
});
