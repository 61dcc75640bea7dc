// The live sale over SignalR at /hubs/sale. The SignalR client is loaded after the first render,
// so a shopper on slow 3G sees the sale before the live channel arrives. The connection never
// gives up: it retries with growing waits, and after every reconnect it watches again what it
// watched and tells the pages to reload what they show (they may have missed updates).
import type { HubConnection } from "@microsoft/signalr";
import type { QueueTicket } from "./api";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";
export interface StockUpdate { lotId: string; available: number; reserved: number; sold: number; status: string; version: number }
export interface SellThroughUpdate {
  lotId: string; name: string; quantity: number; sold: number; reserved: number; available: number; revenueMinor: number;
  paidOrders: number; sellThrough: { minute: string; sold: number }[]; holdsExpiringSoon: number; status: string; version: number;
}
/** From fulfilment on, with each seller's shipment status and the service point's agent. */
export interface OrderUpdate { orderId: string; shopperId?: string; status: string; shipments?: { sellerId: string; status: string }[] | null; agentId?: string | null }
/** How far a lot's waiting room has got: positions up to admittedThrough have reached their turn. */
export interface QueueProgress { lotId: string; drawn: boolean; positions: number; admittedThrough: number; awaitingDraw: number; at: string }

interface Events {
  stock: StockUpdate; sellThrough: SellThroughUpdate; order: OrderUpdate; state: ConnectionState; resync: void;
  queue: QueueTicket; queueProgress: QueueProgress;
}
type Listener<K extends keyof Events> = (value: Events[K]) => void;
const listeners: { [K in keyof Events]: Set<Listener<K>> } = {
  stock: new Set(), sellThrough: new Set(), order: new Set(), state: new Set(), resync: new Set(), queue: new Set(), queueProgress: new Set(),
};

let connection: HubConnection | null = null;
let connectedToken: string | undefined;
let state: ConnectionState = "connecting";
let reconnects = 0;
const watchedLots = new Set<string>();
let watchingSeller = false;
let watchingSellerOrders = false;
let watchingVillagers = false;
// Hub calls to repeat after every reconnect: [method, ...arguments], keyed by their JSON.
const watchedQueues = new Map<string, [string, ...string[]]>();
const newestVersion = new Map<string, number>();

export function on<K extends keyof Events>(event: K, listener: Listener<K>): () => void {
  listeners[event].add(listener);
  return () => listeners[event].delete(listener);
}

function emit<K extends keyof Events>(event: K, value: Events[K]) {
  for (const listener of listeners[event]) listener(value);
}

function setState(next: ConnectionState) {
  state = next;
  emit("state", next);
}

export const connectionState = () => state;
export const reconnectCount = () => reconnects;

/** Connects (or reconnects with another identity) so messages for that token's owner arrive. */
export async function connect(token: string | undefined): Promise<void> {
  if (connection && connectedToken === token) return;
  const previous = connection;
  connection = null;
  await previous?.stop();
  connectedToken = token;
  const signalR = await import("@microsoft/signalr");
  const built = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/sale", token ? { accessTokenFactory: () => token } : {})
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => Math.min(500 * 2 ** retry.previousRetryCount, 10_000) * (0.75 + Math.random() / 2) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  built.on("stock", (update: StockUpdate) => {
    // Updates may arrive twice or out of order around a reconnect: the highest version wins.
    if ((newestVersion.get(update.lotId) ?? -1) > update.version) return;
    newestVersion.set(update.lotId, update.version);
    emit("stock", update);
  });
  built.on("sellThrough", (update: SellThroughUpdate) => emit("sellThrough", update));
  built.on("order", (update: OrderUpdate) => emit("order", update));
  built.on("queue", (ticket: QueueTicket) => emit("queue", ticket));
  built.on("queueProgress", (progress: QueueProgress) => emit("queueProgress", progress));
  built.onreconnecting(() => setState(navigator.onLine ? "reconnecting" : "offline"));
  built.onreconnected(async () => {
    reconnects++;
    await rewatch(built);
    setState("live");
    emit("resync", undefined);
  });
  built.onclose(() => {
    if (connection === built) void startWithRetry(built, 1);
  });
  connection = built;
  await startWithRetry(built, 0);
}

async function startWithRetry(target: HubConnection, attempt: number): Promise<void> {
  while (connection === target) {
    setState(attempt === 0 ? "connecting" : navigator.onLine ? "reconnecting" : "offline");
    try {
      await target.start();
      await rewatch(target);
      if (attempt > 0) reconnects++;
      setState("live");
      if (attempt > 0) emit("resync", undefined);
      return;
    } catch {
      attempt++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 10_000)));
    }
  }
}

async function rewatch(target: HubConnection) {
  newestVersion.clear();
  await Promise.all([...watchedLots].map((lotId) => target.invoke("WatchLot", lotId).catch(() => undefined)));
  await Promise.all([...watchedQueues.values()].map(([method, ...args]) => target.invoke(method, ...args).catch(() => undefined)));
  if (watchingSeller) await target.invoke("WatchSeller").catch(() => undefined);
  if (watchingSellerOrders) await target.invoke("WatchSellerOrders").catch(() => undefined);
  if (watchingVillagers) await target.invoke("WatchVillagers").catch(() => undefined);
}

const isLive = () => connection?.state === "Connected";

export function watchLots(lotIds: string[]): void {
  for (const lotId of lotIds) {
    if (watchedLots.has(lotId)) continue;
    watchedLots.add(lotId);
    if (isLive()) void connection!.invoke("WatchLot", lotId).catch(() => undefined);
  }
}

export function unwatchAll(): void {
  if (isLive()) for (const lotId of watchedLots) void connection!.invoke("UnwatchLot", lotId).catch(() => undefined);
  watchedLots.clear();
  watchedQueues.clear();
  watchingSeller = false;
  watchingSellerOrders = false;
  watchingVillagers = false;
}

export function watchSeller(): void {
  watchingSeller = true;
  if (isLive()) void connection!.invoke("WatchSeller").catch(() => undefined);
}

/** For a seller: order messages of every order with a shipment of the seller's, as they move. */
export function watchSellerOrders(): void {
  watchingSellerOrders = true;
  if (isLive()) void connection!.invoke("WatchSellerOrders").catch(() => undefined);
}

function watchAgain(method: string, ...args: string[]) {
  watchedQueues.set(JSON.stringify([method, ...args]), [method, ...args]);
  if (isLive()) void connection!.invoke(method, ...args).catch(() => undefined);
}

/** The shopper's ticket (a queue message at once) and the room's progress; the shopper must have joined. */
export const watchQueue = (lotId: string) => watchAgain("WatchQueue", lotId);

/** For an agent: a villager's ticket and the room's progress. */
export const watchVillagerQueue = (shopperId: string, lotId: string) => watchAgain("WatchVillagerQueue", shopperId, lotId);

/** For an agent: order messages of all the agent's villagers (call again after registering one) and of the parcels coming to the agent's point. */
export function watchVillagers(): void {
  watchingVillagers = true;
  if (isLive()) void connection!.invoke("WatchVillagers").catch(() => undefined);
}

addEventListener("offline", () => setState("offline"));
addEventListener("online", () => {
  if (state !== "offline") return;
  // Requests made while offline failed: when the channel held, the pages reload what they show.
  if (isLive()) { setState("live"); emit("resync", undefined); } else setState("reconnecting");
});
