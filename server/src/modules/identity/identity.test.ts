import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, type Session, type TestPlatform } from '../../../test/harness.js';
import { DEMO_ENTERPRISE, DEMO_PASSWORD, DEMO_PERSON, demoCreditCode, demoIdNumber } from '../demo/seed.js';
import { idNumberCheckCharacter } from '../../shared/identifiers.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(() => platform.close());

// --- helpers --------------------------------------------------------------------------------

/**
 * Sign-ins are throttled per address (30 per 5 minutes). Each helper sign-in comes from an
 * address of its own so that the tests do not eat each other's budget; the throttle has its
 * own test below.
 */
let ipSerial = 0;
function freshIp(): string {
  ipSerial += 1;
  return `10.20.${Math.floor(ipSerial / 250)}.${(ipSerial % 250) + 1}`;
}

function postLogin(username: string, password: string, extra: Partial<InjectOptions> = {}): Promise<LightMyRequestResponse> {
  return platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: freshIp(), ...extra });
}

async function signIn(username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await postLogin(username, password);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { csrfToken: string; user: Session['user'] };
  return { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: body.csrfToken, user: body.user };
}

function register(payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return platform.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload, headers });
}

/** Distinct, valid ID numbers: a birth date and sequence from a serial. */
let idSerial = 0;
function newIdNumber(region = '440305'): string {
  idSerial += 1;
  return demoIdNumber(region, `1985${String((idSerial % 12) + 1).padStart(2, '0')}15`, String(100 + idSerial).padStart(3, '0'));
}

/** A valid ID number whose check character is X (about one in eleven sequences gives one). */
function idNumberEndingInX(region = '440303', birth = '19880808'): string {
  for (let seq = 0; seq < 1000; seq++) {
    const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
    if (idNumberCheckCharacter(first17) === 'X') return `${first17}X`;
  }
  throw new Error('no sequence gives X');
}

/** The same ID number with a check character that is wrong for it. */
function withWrongCheck(id: string): string {
  const wrong = id.endsWith('0') ? '1' : '0';
  return `${id.slice(0, 17)}${wrong}`;
}

let creditSerial = 5000;
function newCreditCode(): string {
  creditSerial += 1;
  return demoCreditCode('91', '440305', creditSerial);
}

let phoneSerial = 0;
function newPhone(): string {
  phoneSerial += 1;
  return `1370000${String(phoneSerial).padStart(4, '0')}`;
}

function natural(overrides: Record<string, unknown> = {}) {
  return { kind: 'natural', name: '李四', idNumber: newIdNumber(), phone: newPhone(), password: 'Passw0rd!', ...overrides };
}

function legal(overrides: Record<string, unknown> = {}) {
  return { kind: 'legal', name: '深圳市测试科技有限公司', creditCode: newCreditCode(), phone: newPhone(), password: 'Passw0rd!', ...overrides };
}

interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

function problem(res: LightMyRequestResponse, status: number, code: string): ProblemJson {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as ProblemJson;
  expect(body).toMatchObject({ status, code });
  expect(body.type).toEqual(expect.any(String));
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

function fieldsOf(body: ProblemJson): Array<[string, string]> {
  return (body.errors ?? []).map((e) => [e.field, e.code]);
}

interface Department {
  id: string;
  name: string;
}
let departments: Department[];
async function department(name: string): Promise<Department> {
  departments ??= ((await platform.app.inject({ method: 'GET', url: '/api/v1/departments' })).json() as { items: Department[] }).items;
  const found = departments.find((d) => d.name === name);
  if (!found) throw new Error(`no department ${name}`);
  return found;
}
const MARKET = '深圳市市场监督管理局';
const DATA_BUREAU = '深圳市政务服务数据管理局';

interface StaffJson {
  id: string;
  username: string;
  name: string;
  departmentId: string;
  roles: string[];
  phone: string | null;
  active: boolean;
}

let staffSerial = 0;
async function createStaff(session: Session, input: Partial<{ username: string; departmentId: string; roles: string[]; phone: string; password: string; name: string }>) {
  staffSerial += 1;
  return as(platform.app, session, {
    method: 'POST',
    url: '/api/v1/admin/staff',
    payload: { username: `staff_${staffSerial}`, name: `测试 ${staffSerial}`, roles: ['window_clerk'], password: 'Staff2026x', ...input },
  });
}

// --- registration ---------------------------------------------------------------------------

describe('registering a natural person', () => {
  it('creates the account and answers 201 with the masked login name', async () => {
    const input = natural();
    const res = await register(input);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; kind: string; name: string; username: string };
    expect(body).toEqual({ id: expect.any(String), kind: 'natural', name: '李四', username: expect.any(String) });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.username).not.toBe(input.idNumber);
    expect(body.username.slice(0, 3)).toBe((input.idNumber as string).slice(0, 3));
    expect(body.username).toContain('*');
    // the full ID number is personal data: never echoed back
    expect(res.body).not.toContain(input.idNumber);
    // and the person can sign in with it
    const login = await postLogin(input.idNumber as string, input.password as string);
    expect(login.statusCode, login.body).toBe(200);
  });

  it('normalises a lower-case check character x to X', async () => {
    const id = idNumberEndingInX();
    const res = await register(natural({ idNumber: id.toLowerCase() }));
    expect(res.statusCode, res.body).toBe(201);
    // stored upper-case: signing in with X works, and registering the upper-case form again is a duplicate
    expect((await postLogin(id, 'Passw0rd!')).statusCode).toBe(200);
    problem(await register(natural({ idNumber: id })), 409, 'account_exists');
  });

  it('trims spaces around the ID number and name', async () => {
    const id = newIdNumber();
    const res = await register(natural({ idNumber: `  ${id} `, name: '  王五 ' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '王五' });
    expect((await postLogin(id, 'Passw0rd!')).statusCode).toBe(200);
  });

  it.each([
    ['81', '810000'],
    ['82', '820000'],
    ['83', '830000'],
  ])('accepts Hong Kong / Macao / Taiwan residence permit numbers (prefix %s)', async (_prefix, region) => {
    const res = await register(natural({ idNumber: newIdNumber(region) }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a wrong check character with a field error on idNumber', async () => {
    const res = await register(natural({ idNumber: withWrongCheck(newIdNumber()) }));
    const body = problem(res, 400, 'validation_failed');
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ field: 'idNumber', code: 'invalid_id_number' });
    expect(body.errors![0]!.message).toContain('校验码错误');
  });

  it.each([
    ['an impossible birth date (30 February)', demoIdNumber('440304', '19900230', '123'), '出生日期无效'],
    ['a birth month 13', demoIdNumber('440304', '19901301', '123'), '出生日期无效'],
    ['a birth date in the future', demoIdNumber('440304', `${new Date().getFullYear() + 1}0101`, '123'), '出生日期无效'],
    ['a birth year before 1900', demoIdNumber('440304', '18991231', '123'), '出生日期无效'],
    ['an unknown province prefix', demoIdNumber('990000', '19900101', '123'), '地区码不存在'],
    ['17 characters', newIdNumber().slice(0, 17), '应为 18 位'],
    ['a letter inside', `44030A${newIdNumber().slice(6)}`, '应为 18 位'],
  ])('refuses %s', async (_what, idNumber, reason) => {
    const body = problem(await register(natural({ idNumber })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['idNumber', 'invalid_id_number']]);
    expect(body.errors![0]!.message).toContain(reason);
  });

  it('requires idNumber for a natural person', async () => {
    const { idNumber: _omitted, ...input } = natural();
    const body = problem(await register(input), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['idNumber', 'required']]);
  });

  it('treats an empty idNumber as missing', async () => {
    const body = problem(await register(natural({ idNumber: '' })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['idNumber', 'required']]);
  });

  it('refuses an unknown kind', async () => {
    const body = problem(await register(natural({ kind: 'robot' })), 400, 'validation_failed');
    expect(body.errors!.map((e) => e.field)).toContain('kind');
  });
});

describe('registering a legal person', () => {
  it('creates the account from a valid unified social credit code', async () => {
    const input = legal();
    const res = await register(input);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'legal', name: input.name });
    expect((await postLogin(input.creditCode as string, 'Passw0rd!')).statusCode).toBe(200);
  });

  it('normalises a lower-case credit code', async () => {
    const code = newCreditCode();
    expect(code).toMatch(/[A-Z]/);
    expect((await register(legal({ creditCode: code.toLowerCase() }))).statusCode).toBe(201);
    problem(await register(legal({ creditCode: code })), 409, 'account_exists');
  });

  it('refuses a wrong check character with a field error on creditCode', async () => {
    const code = newCreditCode();
    const wrong = `${code.slice(0, 17)}${code.endsWith('0') ? '1' : '0'}`;
    const body = problem(await register(legal({ creditCode: wrong })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['creditCode', 'invalid_credit_code']]);
  });

  it.each([
    ['too short', '91440300MA5'],
    ['a forbidden letter (I, O, S, V, Z)', `91440300${'O'.repeat(10)}`],
  ])('refuses a credit code that is %s', async (_what, creditCode) => {
    const body = problem(await register(legal({ creditCode })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['creditCode', 'invalid_credit_code']]);
  });

  it('requires creditCode for a legal person, and an ID number does not stand in for it', async () => {
    const { creditCode: _omitted, ...input } = legal();
    const body = problem(await register({ ...input, idNumber: newIdNumber() }), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['creditCode', 'required']]);
  });
});

describe('registration input rules', () => {
  it.each(['1380013800', '23800138000', '138001380001', 'abcdefghijk', '12800138000'])('refuses the mobile number %s', async (phone) => {
    const body = problem(await register(natural({ phone })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['phone', 'invalid_phone']]);
  });

  it('accepts a mobile number written with +86 and spaces', async () => {
    expect((await register(natural({ phone: '+86 139 0000 1234' }))).statusCode).toBe(201);
  });

  it.each(['short1A', 'lettersonly', '1234567890', ''])('refuses the weak password "%s"', async (password) => {
    const body = problem(await register(natural({ password })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['password', 'weak_password']]);
  });

  it('refuses a blank name', async () => {
    const body = problem(await register(natural({ name: '   ' })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['name', 'required']]);
  });

  it('reports every invalid field at once, not just the first', async () => {
    const body = problem(
      await register(natural({ name: ' ', idNumber: withWrongCheck(newIdNumber()), phone: '12345', password: 'weak' })),
      400,
      'validation_failed',
    );
    expect(fieldsOf(body)).toEqual(
      expect.arrayContaining([
        ['idNumber', 'invalid_id_number'],
        ['name', 'required'],
        ['phone', 'invalid_phone'],
        ['password', 'weak_password'],
      ]),
    );
    expect(body.errors).toHaveLength(4);
    for (const e of body.errors!) expect(e.message.length).toBeGreaterThan(0);
    // the detail sums the fields up
    expect(body.detail).toContain('idNumber');
    expect(body.detail).toContain('password');
  });

  it('reports the missing ID number together with the other missing fields of an empty form', async () => {
    const body = problem(await register({ kind: 'natural' }), 400, 'validation_failed');
    const fields = (body.errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['idNumber', 'name', 'password', 'phone']);
    for (const e of body.errors!) expect(e.code).toBe('required');
  });

  it('reports the missing credit code together with the other missing fields for a legal person', async () => {
    const body = problem(await register({ kind: 'legal', name: '某公司' }), 400, 'validation_failed');
    expect(fieldsOf(body).sort()).toEqual([
      ['creditCode', 'required'],
      ['password', 'required'],
      ['phone', 'required'],
    ]);
  });

  it('refuses a second account for the same ID number with 409 account_exists', async () => {
    const input = natural();
    expect((await register(input)).statusCode).toBe(201);
    const body = problem(await register({ ...input, name: '另一个人', phone: newPhone() }), 409, 'account_exists');
    expect(body.title).toBe('该证件号码已注册');
    // the demo person's ID is taken too
    problem(await register(natural({ idNumber: DEMO_PERSON.idNumber })), 409, 'account_exists');
    problem(await register(legal({ creditCode: DEMO_ENTERPRISE.creditCode })), 409, 'account_exists');
  });

  it('cannot take a staff username by registering', async () => {
    // staff usernames are letters; an applicant's username is always an 18-character code
    const body = problem(await register(natural({ idNumber: 'admin' })), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['idNumber', 'invalid_id_number']]);
  });

  it('speaks Chinese by default and English with Accept-Language: en', async () => {
    const input = natural({ idNumber: withWrongCheck(newIdNumber()), phone: '123' });
    const zh = problem(await register(input), 400, 'validation_failed');
    expect(zh.title).toBe('提交的内容有误，请按提示修改');
    expect(zh.errors!.find((e) => e.field === 'idNumber')!.message).toBe('身份证号码不正确（GB 11643：校验码错误）');
    expect(zh.errors!.find((e) => e.field === 'phone')!.message).toBe('请输入 11 位大陆手机号码');

    const en = problem(await register(input, { 'accept-language': 'en' }), 400, 'validation_failed');
    expect(en.title).toBe('The request has invalid fields');
    expect(en.errors!.find((e) => e.field === 'idNumber')!.message).toBe('Invalid ID number (GB 11643: wrong check character)');
    expect(en.errors!.find((e) => e.field === 'phone')!.message).toBe('Enter an 11-digit mainland mobile number');
    // same machine codes in both languages
    expect(fieldsOf(en)).toEqual(fieldsOf(zh));

    const dup = natural();
    await register(dup);
    expect(problem(await register(dup, { 'accept-language': 'en-US,en;q=0.9' }), 409, 'account_exists').title).toBe('An account with this ID already exists');
  });
});

// --- sign-in --------------------------------------------------------------------------------

describe('signing in', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const res = await postLogin(DEMO_PERSON.idNumber, DEMO_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const session = res.cookies.find((c) => c.name === 'tb_session');
    const csrf = res.cookies.find((c) => c.name === 'tb_csrf');
    expect(session).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe('Lax');
    expect(session!.path).toBe('/');
    expect(session!.expires).toBeInstanceOf(Date);
    expect(session!.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(session!.value.length).toBeGreaterThanOrEqual(32);
    expect(csrf).toBeDefined();
    expect(csrf!.httpOnly).toBeFalsy();
    expect(csrf!.sameSite).toBe('Lax');

    const body = res.json() as { user: Record<string, unknown>; csrfToken: string; expiresAt: string };
    expect(body.csrfToken).toBe(csrf!.value);
    expect(body.csrfToken).not.toBe(session!.value);
    expect(body.user).toMatchObject({ id: expect.any(String), name: DEMO_PERSON.name, roles: ['applicant'] });
    expect(body.user).not.toHaveProperty('departmentId');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    // nothing secret or personal besides the name
    expect(res.body).not.toContain(DEMO_PERSON.idNumber);
    expect(res.body).not.toContain('password');
  });

  it('returns the roles and department of a staff member', async () => {
    const res = await postLogin('deptadmin', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const market = await department(MARKET);
    expect(res.json()).toMatchObject({ user: { name: '部门管理 王芳', roles: ['department_admin'], departmentId: market.id } });
  });

  it('signs in a legal person with the credit code', async () => {
    const res = await postLogin(DEMO_ENTERPRISE.creditCode.toLowerCase(), DEMO_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { name: DEMO_ENTERPRISE.name, roles: ['applicant'] } });
  });

  it('accepts the ID number with a lower-case x and surrounding spaces', async () => {
    const id = idNumberEndingInX('440306', '19791111');
    expect((await register(natural({ idNumber: id }))).statusCode).toBe(201);
    expect((await postLogin(id.toLowerCase(), 'Passw0rd!')).statusCode).toBe(200);
    expect((await postLogin(` ${id} `, 'Passw0rd!')).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown user with the same 401 body', async () => {
    const wrong = problem(await postLogin('approver', 'Wrong2026x'), 401, 'invalid_credentials');
    const unknown = problem(await postLogin('nobody-here', 'Wrong2026x'), 401, 'invalid_credentials');
    expect(unknown).toEqual(wrong);
    expect(wrong.title).toBe('用户名或密码错误');
    const unknownId = problem(await postLogin(newIdNumber(), 'Wrong2026x'), 401, 'invalid_credentials');
    expect(unknownId).toEqual(wrong);
    // and no cookie is set
    expect((await postLogin('approver', 'Wrong2026x')).cookies).toEqual([]);
  });

  it('refuses an empty or missing username or password with 400, not 401', async () => {
    for (const payload of [{ username: '', password: 'x' }, { username: 'approver' }, {}]) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: freshIp() });
      problem(res, 400, 'validation_failed');
    }
  });

  it('locks the account after 5 wrong passwords, and refuses even the right one while locked', async () => {
    const input = natural();
    expect((await register(input)).statusCode).toBe(201);
    const username = input.idNumber as string;
    for (let i = 1; i <= 4; i++) problem(await postLogin(username, `Wrong${i}xyz`), 401, 'invalid_credentials');
    const locked = problem(await postLogin(username, 'Wrong5xyz'), 429, 'account_locked');
    expect(locked.title).toContain('15 分钟');
    problem(await postLogin(username, input.password as string), 429, 'account_locked');
    expect((await postLogin(username, input.password as string, { headers: { 'accept-language': 'en' } })).json()).toMatchObject({
      code: 'account_locked',
      title: expect.stringContaining('locked'),
    });
    // other accounts are unaffected
    expect((await postLogin('approver', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const input = natural();
    expect((await register(input)).statusCode).toBe(201);
    const username = input.idNumber as string;
    for (let i = 0; i < 4; i++) problem(await postLogin(username, 'Wrong0xyz'), 401, 'invalid_credentials');
    expect((await postLogin(username, input.password as string)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) problem(await postLogin(username, 'Wrong0xyz'), 401, 'invalid_credentials');
    expect((await postLogin(username, input.password as string)).statusCode).toBe(200);
  });

  it('locks the account under concurrent wrong passwords without a 5xx', async () => {
    const input = natural();
    expect((await register(input)).statusCode).toBe(201);
    const results = await Promise.all(Array.from({ length: 8 }, () => postLogin(input.idNumber as string, 'Wrong0xyz')));
    for (const res of results) expect([401, 429]).toContain(res.statusCode);
    expect(results.some((r) => r.statusCode === 429)).toBe(true);
    problem(await postLogin(input.idNumber as string, input.password as string), 429, 'account_locked');
  });

  it('throttles one address after 30 attempts in 5 minutes, whichever usernames it tries', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 30; i++) {
      const res = await postLogin(`guess-${i}`, 'Wrong0xyz', { remoteAddress: ip });
      problem(res, 401, 'invalid_credentials');
    }
    const throttled = problem(await postLogin('guess-30', 'Wrong0xyz', { remoteAddress: ip }), 429, 'too_many_requests');
    expect(throttled.title).toBe('请求过于频繁，请稍后再试');
    // even a correct sign-in from that address waits
    problem(await postLogin('approver', DEMO_PASSWORD, { remoteAddress: ip }), 429, 'too_many_requests');
    // another address is not affected
    expect((await postLogin('approver', DEMO_PASSWORD, { remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });

  it('does not sign in a disabled staff member', async () => {
    const admin = await signIn('admin');
    const created = await createStaff(admin, { departmentId: (await department(MARKET)).id });
    const staff = created.json() as StaffJson;
    expect((await postLogin(staff.username, 'Staff2026x')).statusCode).toBe(200);
    expect((await as(platform.app, admin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { active: false } })).statusCode).toBe(200);
    problem(await postLogin(staff.username, 'Staff2026x'), 401, 'invalid_credentials');
  });
});

describe('signing out', () => {
  it('ends the session: the cookie no longer works afterwards', async () => {
    const session = await signIn(DEMO_PERSON.idNumber);
    expect((await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const res = await as(platform.app, session, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    // both cookies are cleared in the browser
    for (const name of ['tb_session', 'tb_csrf']) {
      const cleared = res.cookies.find((c) => c.name === name);
      expect(cleared, name).toBeDefined();
      expect(cleared!.value).toBe('');
      expect(cleared!.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    }
    // and the server forgot the session, so a kept copy of the cookie is worthless
    problem(await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated');
    problem(await as(platform.app, session, { method: 'POST', url: '/api/v1/auth/logout' }), 401, 'unauthenticated');
  });

  it('ends only that session, not the same user\'s other sessions', async () => {
    const first = await signIn('approver');
    const second = await signIn('approver');
    expect((await as(platform.app, first, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    expect((await as(platform.app, second, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });

  it('requires the CSRF header', async () => {
    const session = await signIn('approver');
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie } });
    problem(res, 403, 'csrf_failed');
    const wrong = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': 'not-the-token' } });
    problem(wrong, 403, 'csrf_failed');
    // the session survived the refused attempts
    expect((await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });

  it('requires a session', async () => {
    problem(await platform.app.inject({ method: 'POST', url: '/api/v1/auth/logout' }), 401, 'unauthenticated');
  });
});

describe('GET /api/v1/auth/me', () => {
  it('returns a natural person with the ID number and phone masked, never in full', async () => {
    const session = await signIn(DEMO_PERSON.idNumber);
    const res = await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { user: Record<string, unknown>; idMasked: string; phoneMasked: string; csrfToken: string };
    expect(body.user).toMatchObject({ id: session.user.id, name: DEMO_PERSON.name, roles: ['applicant'] });
    expect(body.idMasked).toBe(`${DEMO_PERSON.idNumber.slice(0, 3)}${'*'.repeat(11)}${DEMO_PERSON.idNumber.slice(-4)}`);
    expect(body.phoneMasked).toBe('138****8000');
    expect(body.csrfToken).toBe(session.csrf);
    expect(res.body).not.toContain(DEMO_PERSON.idNumber);
    expect(res.body).not.toContain(DEMO_PERSON.phone);
  });

  it('returns a staff member with roles and department and no ID', async () => {
    const session = await signIn('catalog');
    const body = (await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' })).json();
    expect(body).toMatchObject({ user: { roles: ['catalog_admin'], departmentId: (await department(MARKET)).id }, idMasked: null });
  });

  it('refuses without a session or with a forged cookie', async () => {
    problem(await platform.app.inject({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated');
    problem(await platform.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'tb_session=forged' } }), 401, 'unauthenticated');
  });
});

// --- staff administration -------------------------------------------------------------------

describe('staff administration by a department administrator', () => {
  let deptAdmin: Session;
  let admin: Session;
  let market: Department;
  let dataBureau: Department;

  beforeAll(async () => {
    deptAdmin = await signIn('deptadmin');
    admin = await signIn('admin');
    market = await department(MARKET);
    dataBureau = await department(DATA_BUREAU);
  });

  it('lists only the own department\'s staff, with masked phones', async () => {
    const withPhone = await createStaff(deptAdmin, { departmentId: market.id, phone: '13512345678' });
    expect(withPhone.statusCode, withPhone.body).toBe(201);
    const elsewhere = await createStaff(admin, { departmentId: dataBureau.id, phone: '13612345678' });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);

    const res = await as(platform.app, deptAdmin, { method: 'GET', url: '/api/v1/admin/staff?limit=100' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: StaffJson[] };
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const s of items) expect(s.departmentId).toBe(market.id);
    const usernames = items.map((s) => s.username);
    expect(usernames).toEqual(expect.arrayContaining(['approver', 'deptadmin', 'catalog', 'inspector']));
    expect(usernames).not.toContain('clerk');
    expect(usernames).not.toContain('admin');
    expect(usernames).not.toContain((elsewhere.json() as StaffJson).username);
    expect(items.find((s) => s.username === (withPhone.json() as StaffJson).username)!.phone).toBe('135****5678');
    expect(res.body).not.toContain('13512345678');
    // no password material in a list
    expect(res.body).not.toMatch(/scrypt|password/i);
  });

  it('may not list another department by asking for it (404)', async () => {
    problem(await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/admin/staff?departmentId=${dataBureau.id}` }), 404, 'not_found');
    const own = await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/admin/staff?departmentId=${market.id}` });
    expect(own.statusCode).toBe(200);
  });

  it('creates staff in the own department', async () => {
    const res = await createStaff(deptAdmin, { departmentId: market.id, roles: ['approver', 'inspector'], phone: '13712345678' });
    expect(res.statusCode, res.body).toBe(201);
    const staff = res.json() as StaffJson;
    expect(staff).toMatchObject({ departmentId: market.id, roles: ['approver', 'inspector'], active: true, phone: '137****5678' });
    const login = await postLogin(staff.username, 'Staff2026x');
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { roles: ['approver', 'inspector'], departmentId: market.id } });
  });

  it('may not create staff in another department (404, nothing created)', async () => {
    const res = await createStaff(deptAdmin, { username: 'sneaky_other_dept', departmentId: dataBureau.id });
    problem(res, 404, 'not_found');
    problem(await postLogin('sneaky_other_dept', 'Staff2026x'), 401, 'invalid_credentials');
  });

  it.each(['system_admin', 'supervisor'])('may not grant %s (403 role_not_grantable)', async (role) => {
    const body = problem(await createStaff(deptAdmin, { departmentId: market.id, roles: ['approver', role] }), 403, 'role_not_grantable');
    expect(body.title).toContain(role);
  });

  it('may not promote an existing member to a role it cannot grant', async () => {
    const staff = (await createStaff(deptAdmin, { departmentId: market.id })).json() as StaffJson;
    problem(await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { roles: ['system_admin'] } }), 403, 'role_not_grantable');
    problem(await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { departmentId: dataBureau.id } }), 404, 'not_found');
    const after = (await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff/${staff.id}` })).json() as StaffJson;
    expect(after).toMatchObject({ roles: ['window_clerk'], departmentId: market.id });
  });

  it('refuses an unknown role and a duplicate username', async () => {
    const bad = problem(await createStaff(deptAdmin, { departmentId: market.id, roles: ['emperor'] }), 400, 'validation_failed');
    expect(bad.errors!.map((e) => e.field)).toContain('roles[0]');
    problem(await createStaff(deptAdmin, { username: 'approver', departmentId: market.id }), 409, 'username_taken');
  });

  it('refuses a weak password and a bad phone, both at once', async () => {
    const body = problem(await createStaff(deptAdmin, { departmentId: market.id, phone: '999', password: 'abc' }), 400, 'validation_failed');
    expect(fieldsOf(body).sort()).toEqual([
      ['password', 'weak_password'],
      ['phone', 'invalid_phone'],
    ]);
  });

  it('reads one own-department record in full and records the read in the audit trail', async () => {
    const staff = (await createStaff(deptAdmin, { departmentId: market.id, phone: '13812340000' })).json() as StaffJson;
    const res = await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/admin/staff/${staff.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: staff.id, phone: '13812340000' });

    const audit = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/audit?action=identity.staff.read&targetId=${staff.id}` });
    expect(audit.statusCode).toBe(200);
    const entries = (audit.json() as { items: Array<{ actorId: string; action: string; targetId: string; detail: unknown }> }).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'identity.staff.read', actorId: deptAdmin.user.id, targetId: staff.id });
    // the audit entry names who, not the personal data read
    expect(JSON.stringify(entries[0])).not.toContain('13812340000');
  });

  it('gets 404 for a record of another department, the same as for no record, and nothing is audited', async () => {
    const other = (await createStaff(admin, { departmentId: dataBureau.id, phone: '13812341111' })).json() as StaffJson;
    const res = await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/admin/staff/${other.id}` });
    const body = problem(res, 404, 'user_not_found');
    expect(res.body).not.toContain('13812341111');
    const missing = problem(await as(platform.app, deptAdmin, { method: 'GET', url: '/api/v1/admin/staff/00000000-0000-4000-8000-000000000000' }), 404, 'user_not_found');
    expect(missing).toEqual(body);
    // an applicant's account id is not a staff record either
    const applicant = await signIn(DEMO_PERSON.idNumber);
    problem(await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff/${applicant.user.id}` }), 404, 'user_not_found');

    const audit = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/audit?action=identity.staff.read&targetId=${other.id}` });
    expect((audit.json() as { items: unknown[] }).items).toHaveLength(0);
  });

  it('may not change, disable or reset the password of another department\'s staff (404)', async () => {
    const other = (await createStaff(admin, { departmentId: dataBureau.id })).json() as StaffJson;
    problem(await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${other.id}`, payload: { active: false } }), 404, 'user_not_found');
    problem(await as(platform.app, deptAdmin, { method: 'POST', url: `/api/v1/admin/staff/${other.id}/password`, payload: { password: 'Taken0ver!' } }), 404, 'user_not_found');
    // the account still works with its own password
    expect((await postLogin(other.username, 'Staff2026x')).statusCode).toBe(200);
    problem(await postLogin(other.username, 'Taken0ver!'), 401, 'invalid_credentials');
  });

  it('may not disable itself', async () => {
    problem(await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${deptAdmin.user.id}`, payload: { active: false } }), 403, 'forbidden');
  });

  it('disabling a staff member ends their live session at once', async () => {
    const staff = (await createStaff(deptAdmin, { departmentId: market.id, roles: ['approver'] })).json() as StaffJson;
    const theirs = await signIn(staff.username, 'Staff2026x');
    expect((await as(platform.app, theirs, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const res = await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { active: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ active: false });
    problem(await as(platform.app, theirs, { method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated');
  });

  it('changing roles ends the live session, so the old roles stop working at once', async () => {
    const staff = (await createStaff(deptAdmin, { departmentId: market.id, roles: ['department_admin'] })).json() as StaffJson;
    const theirs = await signIn(staff.username, 'Staff2026x');
    expect((await as(platform.app, theirs, { method: 'GET', url: '/api/v1/admin/staff' })).statusCode).toBe(200);
    expect((await as(platform.app, deptAdmin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { roles: ['approver'] } })).statusCode).toBe(200);
    problem(await as(platform.app, theirs, { method: 'GET', url: '/api/v1/admin/staff' }), 401, 'unauthenticated');
    const again = await signIn(staff.username, 'Staff2026x');
    problem(await as(platform.app, again, { method: 'GET', url: '/api/v1/admin/staff' }), 403, 'forbidden');
  });

  it('resetting a password ends the live session and the new password works', async () => {
    const staff = (await createStaff(deptAdmin, { departmentId: market.id })).json() as StaffJson;
    const theirs = await signIn(staff.username, 'Staff2026x');
    problem(await as(platform.app, deptAdmin, { method: 'POST', url: `/api/v1/admin/staff/${staff.id}/password`, payload: { password: 'weak' } }), 400, 'validation_failed');
    const res = await as(platform.app, deptAdmin, { method: 'POST', url: `/api/v1/admin/staff/${staff.id}/password`, payload: { password: 'Fresh2026x' } });
    expect(res.statusCode, res.body).toBe(200);
    problem(await as(platform.app, theirs, { method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated');
    problem(await postLogin(staff.username, 'Staff2026x'), 401, 'invalid_credentials');
    expect((await postLogin(staff.username, 'Fresh2026x')).statusCode).toBe(200);
  });

  it('pages with limit and cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 3; i++) expect((await createStaff(deptAdmin, { departmentId: market.id })).statusCode).toBe(201);
    const all = ((await as(platform.app, deptAdmin, { method: 'GET', url: '/api/v1/admin/staff?limit=100' })).json() as { items: StaffJson[]; nextCursor: string | null });
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThanOrEqual(7);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/admin/staff?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await as(platform.app, deptAdmin, { method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: StaffJson[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((s) => s.username));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all.items.map((s) => s.username));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.items.length / 2));
  });

  it('uses 20 as the default page size and refuses limits outside 1-100', async () => {
    const res = await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/staff' });
    expect((res.json() as { items: unknown[] }).items.length).toBeLessThanOrEqual(20);
    for (const limit of ['0', '101', 'abc']) {
      const body = problem(await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff?limit=${limit}` }), 400, 'validation_failed');
      expect(body.errors!.map((e) => e.field)).toEqual(['limit']);
    }
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON without the key', Buffer.from(JSON.stringify({ x: 1 })).toString('base64url')],
    ['JSON with the wrong type of key', Buffer.from(JSON.stringify({ u: { $gt: '' } })).toString('base64url')],
  ])('refuses a %s cursor with 400 on field cursor', async (_what, cursor) => {
    const body = problem(await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/admin/staff?cursor=${encodeURIComponent(cursor)}` }), 400, 'validation_failed');
    expect(fieldsOf(body)).toEqual([['cursor', 'invalid_cursor']]);
  });
});

describe('staff administration by a system administrator', () => {
  let admin: Session;
  beforeAll(async () => {
    admin = await signIn('admin');
  });

  it('lists staff of every department and may filter by one', async () => {
    const res = await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/staff?limit=100' });
    const usernames = (res.json() as { items: StaffJson[] }).items.map((s) => s.username);
    expect(usernames).toEqual(expect.arrayContaining(['clerk', 'approver', 'deptadmin', 'catalog', 'supervisor', 'datashare', 'inspector', 'admin']));
    const market = await department(MARKET);
    const filtered = (await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff?limit=100&departmentId=${market.id}` })).json() as { items: StaffJson[] };
    for (const s of filtered.items) expect(s.departmentId).toBe(market.id);
  });

  it('creates staff in any department with any role, including system_admin and supervisor', async () => {
    const market = await department(MARKET);
    const res = await createStaff(admin, { departmentId: market.id, roles: ['system_admin', 'supervisor'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ roles: ['system_admin', 'supervisor'], departmentId: market.id });
  });

  it('moves staff between departments and reads any record', async () => {
    const market = await department(MARKET);
    const data = await department(DATA_BUREAU);
    const staff = (await createStaff(admin, { departmentId: market.id })).json() as StaffJson;
    const moved = await as(platform.app, admin, { method: 'PATCH', url: `/api/v1/admin/staff/${staff.id}`, payload: { departmentId: data.id, name: '新名字' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ departmentId: data.id, name: '新名字' });
    expect((await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff/${staff.id}` })).statusCode).toBe(200);
  });

  it('gets 404 for a department that does not exist', async () => {
    problem(await createStaff(admin, { departmentId: '00000000-0000-4000-8000-000000000000' }), 404, 'department_not_found');
  });
});

// --- API clients (bearer tokens) ------------------------------------------------------------

describe('API clients', () => {
  let admin: Session;
  beforeAll(async () => {
    admin = await signIn('admin');
  });

  async function createClient(name = '掌上通办 App', scopes = ['catalog:read', 'cases:read']) {
    const res = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { client: { id: string; name: string; scopes: string[]; revokedAt: string | null }; token: string };
  }

  function bearer(token: string, options: InjectOptions) {
    return platform.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
  }

  it('creates a client with scopes and returns the token once', async () => {
    const created = await createClient();
    expect(created.client).toMatchObject({ name: '掌上通办 App', scopes: ['catalog:read', 'cases:read'], revokedAt: null });
    expect(created.token).toMatch(/^tbk_[A-Za-z0-9_-]{40,}$/);
    const list = await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/api-clients' });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: Array<{ id: string }> }).items.map((c) => c.id)).toContain(created.client.id);
    // the list never shows a token or its hash
    expect(list.body).not.toContain(created.token);
    expect(list.body).not.toMatch(/token/i);
  });

  it('keeps the token nowhere in clear, not even for an Idempotency-Key replay', async () => {
    const headers = { 'idempotency-key': 'client-once' };
    const first = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '重试渠道', scopes: ['catalog:read'] }, headers });
    expect(first.statusCode).toBe(201);
    const { token } = first.json() as { token: string };
    const stored = await platform.database.db.selectFrom('idempotency_keys').select('response_body').execute();
    for (const row of stored) expect(row.response_body ?? '').not.toContain(token);
    const clients = await platform.database.db.selectFrom('api_clients').selectAll().execute();
    expect(JSON.stringify(clients)).not.toContain(token);
    // a retry is a new client with a new token, never the old token again
    const second = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '重试渠道', scopes: ['catalog:read'] }, headers });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect((second.json() as { token: string }).token).not.toBe(token);
  });

  it('refuses unknown scopes and an empty scope list', async () => {
    for (const scopes of [['root'], []]) {
      const res = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: 'x', scopes } });
      const body = problem(res, 400, 'validation_failed');
      expect(body.errors!.some((e) => e.field.startsWith('scopes'))).toBe(true);
    }
  });

  it('the token authenticates as Bearer: public routes answer, staff-only routes refuse with 403', async () => {
    const { token } = await createClient();
    expect((await bearer(token, { method: 'GET', url: '/api/v1/departments' })).statusCode).toBe(200);
    // authenticated (not 401) but a channel system is not staff
    problem(await bearer(token, { method: 'GET', url: '/api/v1/admin/staff' }), 403, 'forbidden');
    problem(await bearer(token, { method: 'GET', url: '/api/v1/admin/api-clients' }), 403, 'forbidden');
    problem(await bearer(token, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: 'x', scopes: ['catalog:read'] } }), 403, 'forbidden');
    // nor a signed-in person
    problem(await bearer(token, { method: 'GET', url: '/api/v1/auth/me' }), 403, 'forbidden');
    problem(await bearer(token, { method: 'POST', url: '/api/v1/auth/logout' }), 403, 'forbidden');
    // the scheme name is case-insensitive (RFC 7235)
    expect((await platform.app.inject({ method: 'GET', url: '/api/v1/departments', headers: { authorization: `bearer ${token}` } })).statusCode).toBe(200);
  });

  it('a revoked token gets 401 and revoking twice is 404', async () => {
    const { client, token } = await createClient('旧渠道');
    const revoke = await as(platform.app, admin, { method: 'DELETE', url: `/api/v1/admin/api-clients/${client.id}` });
    expect(revoke.statusCode, revoke.body).toBe(200);
    problem(await bearer(token, { method: 'GET', url: '/api/v1/departments' }), 401, 'unauthenticated');
    problem(await bearer(token, { method: 'GET', url: '/api/v1/admin/staff' }), 401, 'unauthenticated');
    problem(await as(platform.app, admin, { method: 'DELETE', url: `/api/v1/admin/api-clients/${client.id}` }), 404, 'client_not_found');
    const listed = ((await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/api-clients' })).json() as { items: Array<{ id: string; revokedAt: string | null }> }).items;
    expect(Date.parse(listed.find((c) => c.id === client.id)!.revokedAt!)).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['an unknown token', 'Bearer tbk_unknown'],
    ['a missing token', 'Bearer'],
    ['two tokens', 'Bearer a b'],
    ['another scheme', 'Basic YWRtaW46RGVtb0AyMDI2'],
    ['a bare token', 'tbk_abc'],
  ])('refuses %s in the Authorization header with 401', async (_what, authorization) => {
    problem(await platform.app.inject({ method: 'GET', url: '/api/v1/admin/staff', headers: { authorization } }), 401, 'unauthenticated');
  });

  it('a bad Authorization header is not rescued by a valid session cookie', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/admin/staff', headers: { authorization: 'Bearer tbk_unknown', cookie: admin.cookie } });
    problem(res, 401, 'unauthenticated');
  });

  it('only a system administrator manages clients', async () => {
    for (const username of ['deptadmin', 'supervisor']) {
      const session = await signIn(username);
      problem(await as(platform.app, session, { method: 'GET', url: '/api/v1/admin/api-clients' }), 403, 'forbidden');
      problem(await as(platform.app, session, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: 'x', scopes: ['catalog:read'] } }), 403, 'forbidden');
    }
  });
});
