// A lot's waiting room as a shopper (or an agent for a villager) sees it: join, the ticket's state
// in words, the place and how many are ahead, and countdowns to the turn and to its end.
// Positions and times are fixed once drawn, so the view counts down on its own; the hub's
// queueProgress (sent at the draw and as admissions pass) keeps "ahead" current, and its draw
// tells the view to fetch its place.
import type { Lot, QueueTicket, TicketState } from "../api";
import * as hub from "../hub";
import { duration, t, type Key } from "../i18n";
import { errorText, h, Scope } from "../dom";

export type QueueView = "none" | TicketState;

export interface QueueAccess {
  /** The ticket now, or null when there is none (nobody signed up yet, or not joined). */
  get(): Promise<QueueTicket | null>;
  join(): Promise<QueueTicket>;
  /** Asks the hub for this ticket's queue messages and the room's progress. */
  watch(): void;
  /** Runs before joining (a sign-up); false stops the join. */
  beforeJoin?(): Promise<boolean>;
  /** Whose ticket this is, when the connection may carry several (an agent's villagers). */
  shopperId?: string;
}

export interface QueueHandle {
  element: HTMLElement;
  state(): QueueView;
  /** Why a hold is not possible now, or null when the ticket is admitted. */
  reason(): Key | null;
}

export function queueView(lot: Lot, scope: Scope, access: QueueAccess, initial: QueueTicket | null, onChange: () => void): QueueHandle {
  const rate = lot.waitingRoom?.admitPerSecond ?? 1;
  const opensAt = lot.startsAt ? Date.parse(lot.startsAt) : 0;
  let ticket: QueueTicket | null = null;
  let admittedThrough = -1;
  let fetchedAt = 0;
  let watching = false;
  let shown = "";

  const words = h("p", { class: "queue-state", role: "status", "aria-live": "polite" });
  const place = h("p", { class: "queue-place numbers" });
  const timer = h("p", { class: "queue-timer countdown" });
  const message = h("p", { class: "message error", role: "alert" });
  const join = h("button", { type: "button", class: "primary", onclick: async () => {
    join.disabled = true;
    message.textContent = "";
    try {
      if (access.beforeJoin && !(await access.beforeJoin())) return;
      setTicket(await access.join());
    } catch (error) {
      message.textContent = errorText(error);
    } finally {
      join.disabled = false;
    }
  } }, t("joinQueue"));
  const element = h("section", { class: "card queue", "aria-label": t("waitingRoom"), "data-state": "none" },
    h("h2", {}, t("waitingRoom")), words, place, timer, join, message);

  const current = (now = Date.now()): QueueView => {
    if (!ticket) return "none";
    const until = ticket.admittedUntil ? Date.parse(ticket.admittedUntil) : 0;
    if ((ticket.state === "waiting" || ticket.state === "admitted") && until && now >= until) return "lapsed";
    if (ticket.state === "waiting" && ticket.admitsAt && now >= Date.parse(ticket.admitsAt)) return "admitted";
    return ticket.state;
  };

  /** Who is ahead: the least of what the ticket said, what the room's progress says, and what time allows. */
  const ahead = (now: number) => {
    if (!ticket?.position) return 0;
    let n = ticket.ahead ?? ticket.position - 1;
    if (admittedThrough >= 0) n = Math.min(n, ticket.position - 1 - admittedThrough);
    if (ticket.admitsAt) n = Math.min(n, Math.ceil(((Date.parse(ticket.admitsAt) - now) / 1000) * rate) - 1);
    return Math.max(0, n);
  };

  const paint = () => {
    const now = Date.now();
    const view = current(now);
    element.dataset.state = view;
    if (view !== shown) {
      shown = view;
      words.textContent = t(`queue_${view}` as Key);
      join.textContent = t(view === "lapsed" ? "joinAgain" : "joinQueue");
      // Shown only when there is something to join: a change the shopper's own press (or the end of a turn) makes.
      join.hidden = view !== "none" && view !== "lapsed";
      onChange();
    }
    const position = ticket?.position;
    const waiting = view === "waiting";
    place.dataset.position = position ? String(position) : "";
    place.dataset.ahead = waiting ? String(ahead(now)) : "";
    place.textContent = !position || view === "lapsed" ? "" : waiting ? t("queuePlace", { position, ahead: ahead(now) }) : t("queuePlaceAdmitted", { position });
    timer.textContent =
      view === "awaiting-draw" ? (opensAt > now ? t("drawIn", { time: duration(opensAt - now) }) : t("drawing"))
      : view === "waiting" ? t("turnIn", { time: duration(Date.parse(ticket!.admitsAt!) - now) })
      : view === "admitted" ? t("turnEndsIn", { time: duration(Date.parse(ticket!.admittedUntil!) - now) }) : "";
    // The room draws at the opening and says so over the hub. Without the live channel (or if
    // that message is lost) ask, a few seconds apart, until placed.
    const patience = hub.connectionState() === "live" ? 10_000 : 2000;
    if (view === "awaiting-draw" && now >= opensAt + 1000 && now - fetchedAt > patience) void refresh();
  };

  const setTicket = (fresh: QueueTicket) => {
    ticket = fresh;
    if (!watching) { watching = true; access.watch(); }
    paint();
  };

  const refresh = async () => {
    fetchedAt = Date.now();
    try {
      const fresh = await access.get();
      if (fresh) setTicket(fresh);
    } catch { /* the next tick or resync asks again */ }
  };

  scope.add(hub.on("queue", (fresh) => {
    if (fresh.lotId === lot.lotId && (!access.shopperId || fresh.shopperId === access.shopperId)) setTicket(fresh);
  }));
  scope.add(hub.on("queueProgress", (progress) => {
    if (progress.lotId !== lot.lotId) return;
    admittedThrough = Math.max(admittedThrough, progress.admittedThrough);
    // Every waiting phone hears of the draw at once: spread their questions over a second or two.
    if (progress.drawn && ticket?.state === "awaiting-draw") { fetchedAt = Date.now(); setTimeout(() => void refresh(), Math.random() * 1500); }
    else paint();
  }));
  scope.add(hub.on("resync", () => { if (ticket) void refresh(); }));
  if (initial) setTicket(initial);
  scope.every(1000, paint);

  const reasons: Record<QueueView, Key | null> = {
    none: "reason_none", "awaiting-draw": "reason_awaiting-draw", waiting: "reason_waiting", admitted: null, lapsed: "reason_lapsed",
  };
  return { element, state: () => current(), reason: () => reasons[current()] };
}
