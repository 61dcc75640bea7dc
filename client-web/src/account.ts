// Sign-in by phone. The access token lives only in memory (a script injected into the page
// cannot find it in storage, and it dies with the tab). The refresh token must survive a reload,
// so it is kept in sessionStorage: scoped to this tab and gone when the tab closes, unlike
// localStorage, and never sent anywhere but /api/auth. A script running in the page could still
// read it; the strict Content-Security-Policy is what keeps such scripts out, and rotation bounds
// the damage: the thief's and the owner's next refreshes collide, and the reuse revokes both.
// See docs/security.md, "Accounts and sign-in".
import { call } from "./api";

export interface Session {
  accountId: string; shopperId: string; sellerId?: string; agentId?: string; roles: string[];
  accessToken: string; accessExpiresAt: string; refreshToken: string;
}
export interface Application {
  applicationId: string; accountId: string; role: "seller" | "agent"; name: string; village: string;
  status: "pending" | "approved" | "rejected"; submittedAt: string;
}
export interface SmsMessage { to: string; text: string; sentAt: string }

const refreshKey = "flashsale.refresh";
let session: Session | null = null;
let refreshing: Promise<Session | null> | null = null;
const listeners: (() => void)[] = [];

export const current = () => session;
export const hasRole = (role: string) => !!session?.roles.includes(role);
export const onChange = (listener: () => void) => listeners.push(listener);
export const hasStoredSession = () => sessionStorage.getItem(refreshKey) !== null;

function keep(next: Session | null) {
  session = next;
  if (next) sessionStorage.setItem(refreshKey, next.refreshToken);
  else sessionStorage.removeItem(refreshKey);
  listeners.forEach((l) => l());
}

export const requestCode = (phone: string) => call<{ expiresAt: string }>("POST", "/api/auth/codes", { body: { phone } });

export async function signIn(phone: string, code: string): Promise<Session> {
  const next = await call<Session>("POST", "/api/auth/tokens", { body: { phone, code } });
  keep(next);
  return next;
}

/** A new pair from the stored refresh token (once at a time: a second refresh would reuse the first's token and revoke both). */
export function refresh(): Promise<Session | null> {
  const token = session?.refreshToken ?? sessionStorage.getItem(refreshKey);
  if (!token) return Promise.resolve(null);
  refreshing ??= call<Session>("POST", "/api/auth/refresh", { body: { refreshToken: token } })
    .then((next) => { keep(next); return next; })
    .catch((error) => { if (error?.status === 401 || error?.status === 403) keep(null); throw error; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** The access token, refreshed first when it ends within a minute; null when not signed in. */
export async function accessToken(): Promise<string | null> {
  if (!session && !hasStoredSession()) return null;
  if (!session || Date.parse(session.accessExpiresAt) - Date.now() < 60_000) {
    try { await refresh(); } catch { return null; }
  }
  return session?.accessToken ?? null;
}

export async function signOut() {
  const ending = session;
  keep(null);
  if (ending) {
    await call("POST", "/api/auth/sign-out", { body: { refreshToken: ending.refreshToken }, headers: { Authorization: `Bearer ${ending.accessToken}` } }).catch(() => undefined);
  }
}

/** The sandbox outbox, which only a Development server has (404 elsewhere): null when there is none. */
export async function sandboxOutbox(phone: string): Promise<SmsMessage[] | null> {
  try { return await call<SmsMessage[]>("GET", `/api/sandbox/sms?phone=${encodeURIComponent(phone)}`); } catch { return null; }
}

export const apply = (role: string, name: string, village: string) =>
  call<Application>("POST", "/api/applications", { as: "account", body: { role, name, village } });
export const myApplications = () => call<Application[]>("GET", "/api/applications/mine", { as: "account" });
export const pendingApplications = () => call<Application[]>("GET", "/api/operator/applications?status=pending", { as: "operator" });
export const decide = (applicationId: string, decision: "approve" | "reject") =>
  call<Application>("POST", `/api/operator/applications/${applicationId}/${decision}`, { as: "operator" });
export const suspend = (accountId: string) => call<unknown>("POST", `/api/operator/accounts/${encodeURIComponent(accountId)}/suspend`, { as: "operator" });
export const takeDown = (lotId: string) => call<unknown>("POST", `/api/operator/lots/${encodeURIComponent(lotId)}/take-down`, { as: "operator" });
