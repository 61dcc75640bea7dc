// The FlashSale HTTP API, typed as docs/api.md describes it, and the demo identities. A demo
// identity is a bearer token, so it is kept as the phone session's refresh token is: in
// sessionStorage, scoped to this tab and gone when the tab closes, never in localStorage, where it
// would outlive the visit and be readable by every later page of the origin.
import { language } from "./i18n";
import * as account from "./account";

export type Role = "seller" | "shopper" | "agent";
/** Who a call acts as: a role (the phone account when it holds it, else the demo identity), or the phone account itself. */
export type Caller = Role | "operator" | "account";

export interface Lot {
  lotId: string; sellerId: string; name: string; unit: string; priceMinor: number; currency: string;
  quantity: number; available: number; reserved: number; sold: number; perShopperLimit: number;
  status: LotStatus; startsAt: string | null; endsAt: string | null; version: number;
  waitingRoom?: { admitPerSecond: number; admissionWindowSeconds: number } | null;
  kind?: "standard" | "presale";
  /** A presale's terms: the forecast is `quantity`; the harvest, once declared, is `harvest`. */
  presale?: PresaleTerms;
  harvest?: { declared: number; declaredAt: string };
}
export interface PresaleTerms {
  depositPercent: number; harvestFrom: string; harvestTo: string; balanceWindowHours: number; allocation: "pro-rata" | "first-come";
  grade?: string | null; unitWeightGrams?: number | null; weightTolerancePercent?: number | null;
}
export interface HarvestDeclaration { lotId: string; declared: number; orders: HarvestShare[]; declaredAt: string }
/** One order's share of a declared harvest; for units sold by weight, what was packed and what that moved the price by. */
export interface HarvestShare { orderId: string; ordered: number; allocated: number; packedGrams?: number; adjustmentMinor?: number }
export type TicketState = "awaiting-draw" | "waiting" | "admitted" | "lapsed";
/** A place in a lot's waiting room; position and times are fixed once drawn, so the client counts down alone. */
export interface QueueTicket {
  lotId: string; shopperId: string; state: TicketState; position: number | null; admitsAt: string | null;
  admittedUntil: string | null; ahead: number | null; joinedAt: string;
}
export type LotStatus = "scheduled" | "live" | "paused" | "sold-out" | "ended";
export interface CartItem { lotId: string; quantity: number; priceMinor: number; expiresAt: string }
export interface Cart { shopperId: string; items: CartItem[]; totalMinor: number; currency: string | null }
export interface Payment { paymentId: string; method: string; status: string; expiresAt: string; instructions?: string | null; amountMinor?: number }
export interface Order {
  orderId: string; shopperId: string; status: string; items: { lotId: string; quantity: number; priceMinor: number }[];
  totalMinor: number; currency: string; payment: Payment; createdAt: string;
  delivery?: Delivery; fulfilment?: Fulfilment;
  /** A presale's refunds of unallocated deposits (see docs/api.md, Presale lots). */
  refunds?: { amountMinor: number; reason: string; at: string }[];
  presale?: OrderPresale;
  substitute?: Substitute;
}
/** Where a presale order stands; `deposit` is the deposit's payment once the balance has become the order's `payment`. */
export interface OrderPresale {
  lotId: string; ordered: number; priceMinor: number; depositPerUnitMinor: number; depositMinor: number; harvestFrom: string; harvestTo: string;
  balanceWindowHours: number; deposit?: Payment; allocated?: number; balanceMinor?: number;
}
/** The seller's offer of another grade to an order the harvest cut short; accepted, it becomes the order `offerId`. */
export interface Substitute {
  offerId: string; lotId: string; quantity: number; priceMinor: number; expiresAt: string; status: "offered" | "accepted" | "declined" | "expired";
}
export interface Address { name: string; phone: string; line1: string; village: string; region: string }
export type Delivery = { kind: "pickup"; pointId: string } | { kind: "home"; address: Address };
export type ShipmentStatus = "awaiting-packing" | "packed" | "shipped" | "at-pickup-point" | "collected" | "delivered" | "cancelled";
export interface Shipment {
  sellerId: string; lotIds: string[]; status: ShipmentStatus; history: { status: ShipmentStatus; at: string }[];
  trackingId?: string; cancelReason?: string;
}
/** The pickup code is only in the shopper's own views. */
export interface Fulfilment { shipments: Shipment[]; pickupCode?: string }
export interface PickupPoint { pointId: string; agentId: string; name: string; village: string }
export interface OrderPage { items: Order[]; next?: string }
export interface Balance {
  currency: string; paidMinor: number; refundedMinor: number; gatewayMinor: number;
  heldByAgentsMinor: number; heldBySellerMinor: number; remittedMinor: number;
}
export interface LedgerEntry { entryId: string; kind: string; currency: string; amountMinor: number; at: string; orderId?: string; agentId?: string }
export interface Statement { sellerId: string; date: string; entries: LedgerEntry[]; closingBalances: Balance[] }
export interface Remittance {
  remittanceId: string; agentId: string; sellerId: string; currency: string; amountMinor: number;
  status: "pending" | "confirmed"; createdAt: string; confirmedAt?: string | null;
}
export interface CashHeld { sellerId: string; currency: string; heldMinor: number; pendingRemittanceMinor: number }
export interface PaymentMethod { method: string; displayName: string; flow: string }
export interface SellThroughPoint { minute: string; sold: number }
export interface LotStats {
  lotId: string; sold: number; reserved: number; available: number; revenueMinor: number; paidOrders: number; sellThrough: SellThroughPoint[];
  holdsExpiringSoon?: number;
  presale?: PresaleStats;
}
/**
 * The farmer's figures for a presale: before the harvest the units ordered against the forecast
 * and the deposits collected; once it is declared (`declared` present) where every share stands.
 */
export interface PresaleStats {
  forecast: number; ordered: number; depositPerUnitMinor: number; depositsMinor: number; declared?: number; allocated?: number;
  awaitingBalance: number; balancesPaid: number; forfeited: number; refunded: number; balancesPaidMinor: number; balancesOutstandingMinor: number;
}
export interface Villager { shopperId: string; name: string; registeredAt: string }
export interface Identity { id: string; token: string; name: string }

/** A refusal from the API (its problem code), or "network" when no answer came. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fieldErrors: Record<string, string[]> = {}) {
    super(message);
  }
}

const identityKey = (role: Role) => `flashsale.identity.${role}`;

export function identity(role: Role): Identity | null {
  const signedIn = account.current();
  if (signedIn?.roles.includes(role)) {
    const id = role === "seller" ? signedIn.sellerId : role === "agent" ? signedIn.agentId : signedIn.shopperId;
    if (id) return { id, token: signedIn.accessToken, name: signedIn.accountId };
  }
  const stored = sessionStorage.getItem(identityKey(role));
  return stored ? (JSON.parse(stored) as Identity) : null;
}

export async function signUp(role: Role, body: Record<string, string>): Promise<Identity> {
  const answer = await call<Record<string, string>>("POST", `/api/${role}s`, { body });
  const signedUp: Identity = { id: answer[`${role}Id`], token: answer.token, name: body.name };
  sessionStorage.setItem(identityKey(role), JSON.stringify(signedUp));
  return signedUp;
}

/** A random id without crypto.randomUUID, which plain-HTTP pages on a LAN address lack. */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

interface CallOptions { as?: Caller; body?: unknown; headers?: Record<string, string> }

/** The bearer token for a role: the signed-in account's when it holds the role, else the demo sign-up's. */
export async function tokenFor(as: Caller): Promise<string | undefined> {
  if (account.current() || account.hasStoredSession()) {
    const token = await account.accessToken();
    if (token && (as === "account" || account.hasRole(as))) return token;
  }
  return as === "account" || as === "operator" ? undefined : identity(as)?.token;
}

async function send(method: string, path: string, options: CallOptions): Promise<Response> {
  // The API writes its own texts (problems, field messages, payment instructions) in this language.
  const headers: Record<string, string> = { "Accept-Language": language, ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const token = options.as ? await tokenFor(options.as) : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new ApiError(0, "network", "no answer");
  }
  if (!response.ok) {
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    const type: string = json?.type ?? "";
    throw new ApiError(response.status, type.slice(type.lastIndexOf(":") + 1) || "unavailable", json?.detail ?? json?.title ?? "", json?.errors ?? {});
  }
  return response;
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const text = await (await send(method, path, options)).text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A call whose answer is plain text (the sandbox gateway's USSD screen or SMS reply). */
export async function callText(method: string, path: string, options: CallOptions = {}): Promise<string> {
  return (await send(method, path, options)).text();
}

/** A GET of a route's CSV form (Accept: text/csv), as a file the browser saves. */
export async function downloadCsv(path: string, as: Caller, fileName: string): Promise<void> {
  const blob = await (await send("GET", path, { as, headers: { Accept: "text/csv" } })).blob();
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// The page's inline head script starts this fetch while the bundle still downloads.
declare global { interface Window { lotsPrefetch?: Promise<Lot[] | null> } }

export async function listLots(): Promise<Lot[]> {
  const early = window.lotsPrefetch;
  window.lotsPrefetch = undefined;
  return (early && (await early)) || call<Lot[]>("GET", "/api/lots");
}

export const getLot = (lotId: string) => call<Lot>("GET", `/api/lots/${lotId}`);
export const getCart = () => call<Cart>("GET", "/api/cart", { as: "shopper" });
export const setCartItem = (lotId: string, quantity: number) => call<Cart>("PUT", `/api/cart/items/${lotId}`, { as: "shopper", body: { quantity } });
export const removeCartItem = (lotId: string) => call<Cart>("DELETE", `/api/cart/items/${lotId}`, { as: "shopper" });
export const paymentMethods = (currency: string) => call<PaymentMethod[]>("GET", `/api/payment-methods?currency=${encodeURIComponent(currency)}`);
export const getOrder = (orderId: string) => call<Order>("GET", `/api/orders/${orderId}`, { as: "shopper" });
export const listOrders = () => call<Order[]>("GET", "/api/orders", { as: "shopper" });
export const cancelOrder = (orderId: string) => call<Order>("POST", `/api/orders/${orderId}/cancel`, { as: "shopper" });
/** The shopper's ticket for a lot's waiting room, or null when the shopper has none. */
export const getTicket = (lotId: string) => orNull(call<QueueTicket>("GET", `/api/lots/${lotId}/queue`, { as: "shopper" }));
/** Takes the seller's offer up: answers the new order (paid in full, awaiting its payment); a retry answers the same order. */
export const acceptSubstitute = (orderId: string, paymentMethod: string) =>
  call<Order>("POST", `/api/orders/${orderId}/substitute/accept`, { as: "shopper", body: { paymentMethod } });
export const declineSubstitute = (orderId: string) => call<Order>("POST", `/api/orders/${orderId}/substitute/decline`, { as: "shopper" });
export const joinQueue = (lotId: string) => call<QueueTicket>("POST", `/api/lots/${lotId}/queue`, { as: "shopper" });

async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try { return await request; } catch (error) { if (error instanceof ApiError && error.status === 404) return null; throw error; }
}

export const sandboxPay = (paymentId: string, outcome: "succeeded" | "failed") =>
  call<unknown>("POST", `/api/sandbox/payments/${paymentId}/complete`, { as: "shopper", body: { outcome } });

/**
 * Checkout with an Idempotency-Key that survives a lost answer: the key is kept until the server's
 * final word arrives, so pressing the button again after a dropped connection, a 503 (the
 * contract's "unavailable: a retry may succeed") or a 409 `idempotency-key-in-flight` retries the
 * same checkout instead of placing a second one. A busy engine can answer 503 for a checkout
 * that went through: the retry then answers that order, where a new key would find the cart
 * already empty.
 */
export async function checkout(path: string, paymentMethod: string, as: Caller, delivery?: Delivery): Promise<Order> {
  const body = { paymentMethod, delivery };
  // The delivery counts in the server's fingerprint: another choice is another checkout, with its own key.
  const pendingKey = `flashsale.checkout.${as}.${path}.${JSON.stringify(body)}`;
  const key = sessionStorage.getItem(pendingKey) ?? newKey();
  sessionStorage.setItem(pendingKey, key);
  try {
    const order = await call<Order>("POST", path, { as, body, headers: { "Idempotency-Key": key } });
    sessionStorage.removeItem(pendingKey);
    return order;
  } catch (error) {
    // No answer, a 5xx, or "the first try still runs": the outcome is not known yet, so the key stays.
    const unsettled = error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.code === "idempotency-key-in-flight");
    if (!unsettled) sessionStorage.removeItem(pendingKey);
    throw error;
  }
}

export const createLot = (body: Record<string, unknown>) => call<Lot>("POST", "/api/lots", { as: "seller", body });
export const lotAction = (lotId: string, action: "pause" | "resume" | "end") => call<Lot>("POST", `/api/lots/${lotId}/${action}`, { as: "seller" });
/** Changes the terms of a lot not yet open; a field left out keeps its value. */
export const editLot = (lotId: string, body: Record<string, unknown>) => call<Lot>("PATCH", `/api/lots/${lotId}`, { as: "seller", body });
export const restock = (lotId: string, quantity: number) => call<Lot>("POST", `/api/lots/${lotId}/restock`, { as: "seller", body: { quantity } });
/** Declares a presale's real harvest, once, within its window: the lot shares it among the paid deposits. */
export const declareHarvest = (lotId: string, quantity: number | null) =>
  call<HarvestDeclaration>("POST", `/api/lots/${lotId}/harvest`, { as: "seller", body: { quantity } });
/** A presale's declaration and every order's share, as the declaring call answered it; null before the harvest. */
export const getHarvest = (lotId: string) => orNull(call<HarvestDeclaration>("GET", `/api/lots/${lotId}/harvest`, { as: "seller" }));
/** Offers an order the harvest cut short units of another declared presale of the seller's; answers the order with its `substitute`. */
export const offerSubstitute = (orderId: string, lotId: string, quantity: number) =>
  call<Order>("POST", `/api/seller/orders/${orderId}/substitute`, { as: "seller", body: { lotId, quantity } });
export const myLots = () => call<Lot[]>("GET", "/api/sellers/me/lots", { as: "seller" });
export const lotStats = (lotId: string) => call<LotStats>("GET", `/api/lots/${lotId}/stats`, { as: "seller" });

export const registerVillager = (name: string) => call<Villager>("POST", "/api/agent/villagers", { as: "agent", body: { name } });
export const listVillagers = () => call<Villager[]>("GET", "/api/agent/villagers", { as: "agent" });
export const holdForVillager = (shopperId: string, lotId: string, quantity: number) =>
  call<Cart>("PUT", `/api/agent/villagers/${shopperId}/cart/items/${lotId}`, { as: "agent", body: { quantity } });
export const villagerCart = (shopperId: string) => call<Cart>("GET", `/api/agent/villagers/${shopperId}/cart`, { as: "agent" });
export const removeForVillager = (shopperId: string, lotId: string) =>
  call<Cart>("DELETE", `/api/agent/villagers/${shopperId}/cart/items/${lotId}`, { as: "agent" });
export const villagerOrders = (shopperId: string) => call<Order[]>("GET", `/api/agent/villagers/${shopperId}/orders`, { as: "agent" });
export const markCollected = (orderId: string) => call<Order>("POST", `/api/agent/orders/${orderId}/collected`, { as: "agent" });
export const agentCancelOrder = (orderId: string) => call<Order>("POST", `/api/agent/orders/${orderId}/cancel`, { as: "agent" });
export const villagerTicket = (shopperId: string, lotId: string) =>
  orNull(call<QueueTicket>("GET", `/api/agent/villagers/${shopperId}/lots/${lotId}/queue`, { as: "agent" }));
export const joinQueueForVillager = (shopperId: string, lotId: string) =>
  call<QueueTicket>("POST", `/api/agent/villagers/${shopperId}/lots/${lotId}/queue`, { as: "agent" });

export const pickupPoints = (village: string) => call<PickupPoint[]>("GET", `/api/pickup-points?village=${encodeURIComponent(village)}`);

export const lotOrdersPath = (lotId: string, status: string, limit: number, after?: string) =>
  `/api/lots/${lotId}/orders?limit=${limit}${status ? `&status=${status}` : ""}${after ? `&after=${after}` : ""}`;
export const lotOrders = (lotId: string, status: string, limit: number, after?: string) =>
  call<OrderPage>("GET", lotOrdersPath(lotId, status, limit, after), { as: "seller" });
export const shipmentAction = (orderId: string, action: "pack" | "ship" | "deliver") =>
  call<Order>("POST", `/api/seller/orders/${orderId}/${action}`, { as: "seller", body: action === "ship" ? {} : undefined });
/** After too many wrong codes the agent is locked out of the handover until the seller resets the count. */
export const resetPickupCode = (orderId: string) => call<Order>("POST", `/api/seller/orders/${orderId}/reset-pickup-code`, { as: "seller" });
export const sellerCancel = (orderId: string, reason: string) => call<Order>("POST", `/api/seller/orders/${orderId}/cancel`, { as: "seller", body: { reason } });
export const shipMany = (orderIds: string[]) =>
  call<{ shipped: Order[]; refused: { orderId: string; type: string; detail: string }[] }>("POST", "/api/seller/orders/ship", { as: "seller", body: { orderIds } });
export const ledger = () => call<{ balances: Balance[] }>("GET", "/api/sellers/me/ledger", { as: "seller" });
export const statement = (date: string) => call<Statement>("GET", `/api/sellers/me/statements/${date}`, { as: "seller" });
export const remittances = () => call<Remittance[]>("GET", "/api/sellers/me/remittances", { as: "seller" });
export const confirmRemittance = (remittanceId: string) => call<Remittance>("POST", `/api/sellers/me/remittances/${remittanceId}/confirm`, { as: "seller" });

export const parcels = () => call<Order[]>("GET", "/api/agent/parcels", { as: "agent" });
export const parcelArrived = (orderId: string) => call<Order>("POST", `/api/agent/parcels/${orderId}/arrived`, { as: "agent" });
export const handOver = (orderId: string, pickupCode: string) => call<Order>("POST", `/api/agent/parcels/${orderId}/handover`, { as: "agent", body: { pickupCode } });
export const agentCash = () => call<CashHeld[]>("GET", "/api/agent/cash", { as: "agent" });
export const remit = (sellerId: string, currency: string, amountMinor: number) =>
  call<Remittance>("POST", "/api/agent/remittances", { as: "agent", body: { sellerId, currency, amountMinor } });

// The sandbox phone gateway (Development only: 404 elsewhere). It signs and forwards a handset's
// USSD step or text as the real gateway would, and answers the screen (CON/END) or the reply.
export const sandboxUssd = (sessionId: string, phoneNumber: string, text: string) =>
  callText("POST", "/api/sandbox/phone/ussd", { body: { sessionId, phoneNumber, text } });
export const sandboxSms = (from: string, text: string) => callText("POST", "/api/sandbox/phone/sms", { body: { from, text } });
