// The shopper's pages: the sale, a lot, the cart, checkout and the orders.
import * as api from "../api";
import type { Lot } from "../api";
import * as hub from "../hub";
import { dateTime, dayRange, duration, money, t, tv } from "../i18n";
import { errorText, field, h, problemText, Scope, showFieldErrors } from "../dom";
import { queueView, type QueueHandle } from "./queue";

// The stock views on screen by lot, so a page that fetched lots again (after a resync) can show them.
const stockViews = new Map<string, Set<(lot: Lot) => void>>();

/** Shows lots fetched over HTTP in their stock views, where newer than what the views show. */
export function freshLots(lots: Lot[]) {
  for (const lot of lots) stockViews.get(lot.lotId)?.forEach((apply) => apply(lot));
}

/** A lot's stock: a bar of fixed size and numbers of fixed width, so a tick never moves the layout. */
export function stockView(lot: Lot, scope: Scope): HTMLElement {
  const fill = h("span", { class: "fill" });
  const reservedFill = h("span", { class: "fill reserved" });
  const left = h("p", { class: "numbers" });
  const badge = h("span", { class: "badge" });
  const timing = h("p", { class: "timing" });
  const view = h("div", { class: "stock", "data-lot": lot.lotId },
    h("div", { class: "bar", role: "presentation" }, reservedFill, fill), left, h("p", { class: "status-line" }, badge, " ", timing));
  let current = { ...lot };
  const paint = () => {
    const { available, reserved, quantity, status } = current;
    fill.style.transform = `scaleX(${quantity ? available / quantity : 0})`;
    reservedFill.style.transform = `scaleX(${quantity ? (available + reserved) / quantity : 0})`;
    left.textContent = t("leftOf", { available, quantity });
    left.dataset.available = String(available);
    badge.textContent = tv("status_", status);
    badge.dataset.status = status;
    view.dataset.status = status;
  };
  const tick = () => {
    const now = Date.now();
    const startsAt = current.startsAt ? Date.parse(current.startsAt) : 0;
    const endsAt = current.endsAt ? Date.parse(current.endsAt) : 0;
    timing.textContent = startsAt > now ? t("opensIn", { time: duration(startsAt - now) })
      : endsAt > now && current.status === "live" ? t("endsIn", { time: duration(endsAt - now) }) : "";
  };
  paint();
  scope.every(1000, tick);
  const apply = (update: Pick<Lot, "available" | "reserved" | "sold" | "version"> & { status: string }) => {
    if (update.version < current.version) return;
    current = { ...current, available: update.available, reserved: update.reserved, sold: update.sold, version: update.version, status: update.status as Lot["status"] };
    paint();
    view.dispatchEvent(new CustomEvent("stockchange", { detail: current }));
  };
  scope.add(hub.on("stock", (update) => { if (update.lotId === lot.lotId) apply(update); }));
  const appliers = stockViews.get(lot.lotId) ?? new Set();
  stockViews.set(lot.lotId, appliers.add(apply));
  scope.add(() => appliers.delete(apply));
  hub.watchLots([lot.lotId]);
  return view;
}

/** A presale's deposit on one unit: its share of the price rounded up to a whole minor unit, as checkout takes it. */
export const depositPerUnit = (lot: Lot) => Math.floor((lot.priceMinor * (lot.presale?.depositPercent ?? 0) + 99) / 100);

/** A presale's badge and grade, for its card and its page. */
export function presaleBadges(terms: api.PresaleTerms): HTMLElement {
  return h("span", { class: "presale-tags" }, h("span", { class: "badge presale-badge" }, t("presaleBadge")),
    terms.grade ? " " : null, terms.grade ? h("span", { class: "badge" }, t("gradeIs", { grade: terms.grade })) : null);
}

/** A lot's name with its grade, when it has one: grades of one harvest often share a name. */
export const lotLabel = (lot: Lot) => (lot.presale?.grade ? `${lot.name} · ${t("gradeIs", { grade: lot.presale.grade })}` : lot.name);

export const harvestWindow = (terms: Pick<api.PresaleTerms, "harvestFrom" | "harvestTo">) => t("harvestWindow", { dates: dayRange(terms.harvestFrom, terms.harvestTo) });

/** What a shopper needs to know before holding a presale: when it is picked, and what checkout takes now. */
function presaleLines(lot: Lot): HTMLElement[] {
  return lot.presale ? [h("div", { class: "presale" }, presaleBadges(lot.presale),
    h("p", { class: "terms harvest-window" }, harvestWindow(lot.presale)),
    h("p", { class: "terms deposit-line" }, t("depositNow", { deposit: money(depositPerUnit(lot), lot.currency) })))] : [];
}

export function failure(root: HTMLElement, error: unknown, retry: () => void) {
  root.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)), h("button", { type: "button", onclick: retry }, t("retry")));
}

export async function saleList(root: HTMLElement, scope: Scope) {
  let lots: Lot[];
  try {
    lots = await api.listLots();
  } catch (error) {
    return failure(root, error, () => void saleList(root, scope));
  }
  const cards = lots.map((lot) =>
    h("li", { class: "card" },
      h("h2", {}, h("a", { href: `#/lot/${lot.lotId}` }, lot.name), lot.waitingRoom ? h("span", { class: "badge queue-marker" }, t("queueMarker")) : null),
      h("p", { class: "price" }, t("unitPrice", { price: money(lot.priceMinor, lot.currency), unit: lot.unit })),
      ...presaleLines(lot), stockView(lot, scope)));
  root.replaceChildren(h("h1", {}, t("saleTitle")), cards.length ? h("ul", { class: "cards" }, ...cards) : h("p", {}, t("noLots")));
  scope.add(hub.on("resync", () => void api.listLots().then(freshLots, () => undefined)));
}

export async function lotPage(root: HTMLElement, scope: Scope, lotId: string) {
  let lot: Lot, ticket: api.QueueTicket | null = null;
  try {
    lot = await api.getLot(lotId);
    // Joining again after a reload shows the same ticket: ask for it before the first render.
    if (lot.waitingRoom && api.identity("shopper")) ticket = await api.getTicket(lotId);
  } catch (error) {
    return failure(root, error, () => void lotPage(root, scope, lotId));
  }
  const signedUp = api.identity("shopper");
  const quantity = h("input", { type: "number", inputmode: "numeric", min: "1", max: String(lot.perShopperLimit), value: "1", required: true });
  const name = h("input", { type: "text", autocomplete: "name", required: true, maxlength: "200" });
  const add = h("button", { type: "submit", class: "primary", "aria-describedby": "buy-reason" }, t("addToCart"));
  const reason = h("p", { class: "muted reason", id: "buy-reason" });
  const message = h("p", { class: "message", role: "status", "aria-live": "polite" });
  let status: string = lot.status;
  let room: QueueHandle | null = null;
  let busy = false;
  // Buyable when on sale and, behind a waiting room, when the shopper's turn has come.
  const setBuyable = () => {
    const why = status === "sold-out" ? "error_sold-out" : room?.reason() ?? (status !== "live" ? "error_sale-not-live" : null);
    add.disabled = busy || why !== null;
    reason.textContent = why ? t(why) : "";
  };
  const stock = stockView(lot, scope);
  stock.addEventListener("stockchange", (e) => { status = (e as CustomEvent<Lot>).detail.status; setBuyable(); });

  const signUpIfNeeded = async () => {
    if (api.identity("shopper")) return true;
    if (!name.reportValidity()) return false;
    await api.signUp("shopper", { name: name.value.trim() });
    void api.tokenFor("shopper").then((token) => hub.connect(token));
    name.closest(".field")?.remove();
    return true;
  };
  if (lot.waitingRoom) {
    room = queueView(lot, scope, {
      get: () => (api.identity("shopper") ? api.getTicket(lotId) : Promise.resolve(null)),
      join: () => api.joinQueue(lotId),
      watch: () => hub.watchQueue(lotId),
      beforeJoin: signUpIfNeeded,
    }, ticket, () => setBuyable());
  }

  let holdTimer: Scope | null = null;
  const form = h("form", {
    class: "buy",
    onsubmit: async (event: Event) => {
      event.preventDefault();
      busy = true;
      setBuyable();
      message.className = "message";
      try {
        if (!(await signUpIfNeeded())) return;
        const cart = await api.setCartItem(lot.lotId, Number(quantity.value));
        const line = cart.items.find((i) => i.lotId === lot.lotId)!;
        holdTimer?.dispose();
        holdTimer = new Scope();
        scope.add(() => holdTimer?.dispose());
        const expiresAt = Date.parse(line.expiresAt);
        const text = h("span", { id: "hold" });
        holdTimer.every(1000, () => { text.textContent = t("addedToCart", { quantity: line.quantity, time: duration(expiresAt - Date.now()) }); });
        message.replaceChildren(text, " ", h("a", { href: "#/cart" }, t("viewCart")));
      } catch (error) {
        message.className = "message error";
        message.textContent = errorText(error);
      } finally {
        busy = false;
        setBuyable();
      }
    },
  },
    field("quantity", t("quantity"), quantity),
    h("p", { class: "muted" }, t("perShopper", { limit: lot.perShopperLimit })),
    add, reason, message);

  setBuyable();
  root.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, t("back"))),
    h("h1", {}, lot.name),
    h("p", { class: "price" }, t("unitPrice", { price: money(lot.priceMinor, lot.currency), unit: lot.unit })),
    ...presaleLines(lot), stock,
    ...(signedUp ? [] : [h("div", { class: "who" }, field("name", t("yourName"), name))]),
    ...(room ? [room.element] : []), form);
  scope.add(hub.on("resync", () => void api.getLot(lotId).then((fresh) => freshLots([fresh])).catch(() => undefined)));
}

export async function cartPage(root: HTMLElement, scope: Scope) {
  if (!api.identity("shopper")) {
    root.replaceChildren(h("h1", {}, t("cartTitle")), h("p", {}, t("cartEmpty")));
    return;
  }
  let cart: api.Cart, lots: Lot[];
  try {
    [cart, lots] = await Promise.all([api.getCart(), api.listLots()]);
  } catch (error) {
    return failure(root, error, () => void cartPage(root, scope));
  }
  const names = new Map(lots.map((l) => [l.lotId, l]));
  const title = h("h1", {}, t("cartTitle"));
  if (cart.items.length === 0 || !cart.currency) {
    root.replaceChildren(title, h("p", {}, t("cartEmpty")));
    return;
  }
  const currency = cart.currency;
  const rows = cart.items.map((item) => {
    const lot = names.get(item.lotId);
    const countdown = h("span", { class: "countdown" });
    const expiresAt = Date.parse(item.expiresAt);
    scope.every(1000, () => {
      const left = expiresAt - Date.now();
      countdown.textContent = left > 0 ? t("holdEndsIn", { time: duration(left) }) : t("holdExpired");
    });
    return h("li", { class: "card cart-line", "data-lot": item.lotId },
      h("h2", {}, lot?.name ?? item.lotId),
      h("p", {}, `${item.quantity} × ${money(item.priceMinor, currency)}${lot ? ` / ${lot.unit}` : ""}`),
      countdown, " ",
      h("button", { type: "button", class: "link", onclick: async () => { await api.removeCartItem(item.lotId).catch(() => undefined); void cartPage(root, scope); } }, t("remove")));
  });

  // A presale is paid by its deposit now and never on delivery (the API refuses it): the methods say so.
  const presales = cart.items.filter((item) => names.get(item.lotId)?.presale);
  const depositMinor = presales.reduce((sum, item) => sum + depositPerUnit(names.get(item.lotId)!) * item.quantity, 0);
  let methods: api.PaymentMethod[] = [];
  try {
    methods = (await api.paymentMethods(currency)).filter((m) => m.method !== "village-agent" && !(presales.length && m.method === "cash-on-delivery"));
  } catch { /* shown as none below */ }
  const delivery = await deliveryChoice();
  const message = h("p", { class: "message error", role: "alert" });
  // The server judges the address: its field messages appear beside the fields.
  const form = h("form", {
    novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const method = new FormData(form).get("paymentMethod");
      if (!method) return;
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
      button.disabled = true;
      try {
        const order = await api.checkout("/api/checkout", String(method), "shopper", delivery.value());
        location.hash = `#/order/${order.orderId}`;
      } catch (error) {
        message.textContent = errorText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
        button.disabled = false;
      }
    },
  }, delivery.element, methods.length ? methodChoices(methods) : h("p", {}, t("noMethods")),
    h("button", { type: "submit", class: "primary", disabled: !methods.length }, t("checkout")), message);

  root.replaceChildren(title, h("ul", { class: "cards" }, ...rows),
    h("p", { class: "total" }, `${t("total")}: `, h("strong", {}, money(cart.totalMinor, currency))),
    ...(presales.length ? [h("p", { class: "total" }, `${t("dueNow")}: `, h("strong", { id: "deposit-due" }, money(depositMinor, currency)))] : []), form);
}

/** The payment methods as radio buttons, each with how it is paid; the first is chosen. */
function methodChoices(methods: api.PaymentMethod[]): HTMLFieldSetElement {
  return h("fieldset", { class: "methods" }, h("legend", {}, t("paymentMethod")),
    ...methods.map((m, index) => h("label", { class: "method" },
      h("input", { type: "radio", name: "paymentMethod", value: m.method, checked: index === 0 }),
      h("span", {}, h("strong", {}, tv("method_", m.method)), h("small", {}, tv("howto_", m.method))))));
}

const villageKey = "flashsale.village";

/**
 * Pickup at a village service point (those of the shopper's village first; the village typed is
 * remembered) or home delivery to an address. Pickup is the default wherever a point exists.
 */
async function deliveryChoice(): Promise<{ element: HTMLElement; value: () => api.Delivery }> {
  const village = h("input", { type: "text", autocomplete: "address-level3", maxlength: "100", value: localStorage.getItem(villageKey) ?? "" });
  const pointError = h("p", { class: "field-error", id: "f-delivery.pointId-error", "data-error-for": "delivery.pointId" });
  const points = h("fieldset", { class: "choices", id: "points" });
  const showPoints = async () => {
    let list: api.PickupPoint[] = [];
    try { list = await api.pickupPoints(village.value.trim()); } catch (error) { pointError.textContent = errorText(error); }
    points.replaceChildren(h("legend", {}, t("pickupPoint")), ...(list.length
      ? list.map((p, index) => h("label", { class: "method" },
        h("input", { type: "radio", name: "delivery.pointId", value: p.pointId, checked: index === 0, "aria-describedby": pointError.id }),
        h("span", {}, h("strong", {}, p.name), h("small", {}, p.village))))
      : [h("p", {}, t("noPoints"))]), pointError);
    return list.length;
  };
  village.addEventListener("change", () => { localStorage.setItem(villageKey, village.value.trim()); void showPoints(); });
  const input = (extra: Record<string, unknown>) => h("input", { type: "text", maxlength: "200", ...extra });
  const address = {
    name: input({ autocomplete: "name" }), phone: input({ type: "tel", autocomplete: "tel", inputmode: "tel" }),
    line1: input({ autocomplete: "address-line1" }), village: input({ autocomplete: "address-level3", value: village.value }),
    region: input({ autocomplete: "address-level2" }),
  };
  const home = h("div", { class: "address" },
    field("delivery.address.name", t("addrName"), address.name), field("delivery.address.phone", t("addrPhone"), address.phone),
    field("delivery.address.line1", t("addrLine1"), address.line1), field("delivery.address.village", t("village"), address.village),
    field("delivery.address.region", t("addrRegion"), address.region));
  const pickup = h("div", { class: "address" }, field("village", t("yourVillage"), village), points);
  const kinds = (["pickup", "home"] as const).map((kind) => h("input", { type: "radio", name: "delivery.kind", value: kind }));
  const show = (kind: "pickup" | "home") => {
    kinds.forEach((radio) => { radio.checked = radio.value === kind; });
    pickup.hidden = kind !== "pickup";
    home.hidden = kind !== "home";
  };
  kinds.forEach((radio) => radio.addEventListener("change", () => show(radio.value as "pickup" | "home")));
  show((await showPoints()) ? "pickup" : "home");
  const element = h("fieldset", { class: "choices delivery" }, h("legend", {}, t("delivery")),
    ...kinds.map((radio) => h("label", { class: "method" }, radio, h("span", {}, t(radio.value === "pickup" ? "deliveryPickup" : "deliveryHome")))),
    pickup, home);
  const value = (): api.Delivery => kinds[0].checked
    ? { kind: "pickup", pointId: points.querySelector<HTMLInputElement>("input:checked")?.value ?? "" }
    : { kind: "home", address: { name: address.name.value.trim(), phone: address.phone.value.trim(), line1: address.line1.value.trim(), village: address.village.value.trim(), region: address.region.value.trim() } };
  return { element, value };
}

export async function ordersPage(root: HTMLElement, scope: Scope) {
  const title = h("h1", {}, t("ordersTitle"));
  if (!api.identity("shopper")) return void root.replaceChildren(title, h("p", {}, t("noOrders")));
  let orders: api.Order[];
  try { orders = await api.listOrders(); } catch (error) { return failure(root, error, () => void ordersPage(root, scope)); }
  root.replaceChildren(title, orders.length
    ? h("ul", { class: "cards" }, ...orders.reverse().map((o) => h("li", { class: "card" },
      h("a", { href: `#/order/${o.orderId}` }, dateTime(o.createdAt)), " ", money(o.totalMinor, o.currency), " · ", tv("order_", o.status))))
    : h("p", {}, t("noOrders")));
  const unsubscribe = hub.on("order", () => { unsubscribe(); void ordersPage(root, scope); });
  scope.add(unsubscribe);
}

const pickupPath: api.ShipmentStatus[] = ["awaiting-packing", "packed", "shipped", "at-pickup-point", "collected"];
const homePath: api.ShipmentStatus[] = ["awaiting-packing", "packed", "shipped", "delivered"];

/** A shipment's steps: those reached with their times, the rest of its way still to come. */
function timeline(shipment: api.Shipment, home: boolean): HTMLOListElement {
  const reached = new Map(shipment.history.map((step) => [step.status, step.at]));
  const path = shipment.status === "cancelled" ? shipment.history.map((step) => step.status) : home ? homePath : pickupPath;
  return h("ol", { class: "timeline" }, ...path.map((status) => {
    const at = reached.get(status);
    return h("li", { "data-step": status, "data-done": at !== undefined, "aria-current": status === shipment.status ? "step" : null },
      h("span", {}, tv("ship_", status)), at ? h("time", { datetime: at }, dateTime(at)) : null);
  }));
}

/**
 * The order's status and its shipments' statuses, to tell whether a live message changes what is
 * shown. A message about an order without fulfilment (awaiting payment, a presale's deposit or
 * balance) carries `shipments: null`.
 */
const progressOf = (status: string, shipments?: { status: string }[] | null) => [status, ...(shipments ?? []).map((s) => s.status)].join(" ");

/** Where an order goes, in words: the service point's name and village, or the address. */
export function deliveryLine(delivery: api.Delivery, points: api.PickupPoint[]): string {
  if (delivery.kind === "home") {
    const a = delivery.address;
    return t("homeTo", { address: `${a.name} (${a.phone}), ${a.line1}, ${a.village}, ${a.region}` });
  }
  const point = points.find((p) => p.pointId === delivery.pointId);
  return t("pickupAt", { point: point ? `${point.name} (${point.village})` : delivery.pointId });
}

export async function orderPage(root: HTMLElement, scope: Scope, orderId: string) {
  // Listening starts before the order is read: a live message that arrives while it loads (the
  // parcel shipped a moment after the read) is kept, and the render it missed redraws at once.
  // A redraw replaces this render's listeners rather than piling new ones on top.
  const listeners = new Scope();
  scope.add(() => listeners.dispose());
  let latest: string | undefined, shown: string | undefined;
  const refresh = () => { listeners.dispose(); void orderPage(root, scope, orderId); };
  listeners.add(hub.on("order", (update) => {
    if (update.orderId !== orderId) return;
    latest = progressOf(update.status, update.shipments);
    if (shown !== undefined && latest !== shown) refresh();
  }));
  listeners.add(hub.on("resync", refresh));
  let order: api.Order, points: api.PickupPoint[] = [], offered: Lot | null = null, methods: api.PaymentMethod[] = [];
  try {
    order = await api.getOrder(orderId);
    if (order.delivery?.kind === "pickup") points = await api.pickupPoints("");
    // The offered grade by name; while the offer is open, how it may be paid: never on delivery.
    if (order.substitute) offered = await api.getLot(order.substitute.lotId).catch(() => null);
    if (order.substitute?.status === "offered") {
      methods = (await api.paymentMethods(order.currency).catch(() => []))
        .filter((m) => m.method !== "village-agent" && m.method !== "cash-on-delivery");
    }
  } catch (error) {
    listeners.dispose();
    return failure(root, error, () => void orderPage(root, scope, orderId));
  }
  const status = h("strong", { id: "order-status", "data-status": order.status }, tv("order_", order.status));
  const message = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const awaiting = order.status === "awaiting-payment";
  // A presale's balance is a payment of its own, paid the same way; it cannot be cancelled.
  const payable = awaiting || order.status === "awaiting-balance";
  const actions = h("div", { class: "actions" },
    payable && order.payment.method === "wallet" && order.payment.status !== "succeeded"
      ? h("button", { type: "button", class: "primary", id: "sandbox-pay", onclick: async (e: Event) => {
          (e.currentTarget as HTMLButtonElement).disabled = true;
          try { await api.sandboxPay(order.payment.paymentId, "succeeded"); } catch (error) { message.textContent = errorText(error); }
        } }, t("sandboxPay"))
      : null,
    awaiting ? h("button", { type: "button", onclick: async () => {
      try { await api.cancelOrder(orderId); void orderPage(root, scope, orderId); } catch (error) { message.textContent = errorText(error); }
    } }, t("cancelOrder")) : null);

  root.replaceChildren(
    h("h1", {}, t("orderTitle")),
    h("p", {}, `${t("orderStatus")}: `, status),
    h("p", { class: "total" }, `${t("total")}: `, h("strong", {}, money(order.totalMinor, order.currency))),
    ...(payable && order.payment.amountMinor !== undefined
      ? [h("p", { class: "total" }, `${t("dueNow")}: `, h("strong", { id: "amount-due" }, money(order.payment.amountMinor, order.currency)))]
      : []),
    ...(order.substitute ? [substituteView(order, order.substitute, offered, methods, refresh)] : []),
    ...(order.presale ? [presaleTimeline(order, order.presale)] : []),
    h("section", { class: "card" }, h("h2", {}, tv("method_", order.payment.method)),
      h("p", {}, tv("howto_", order.payment.method)),
      payable ? h("p", {}, t("payBefore", { time: dateTime(order.payment.expiresAt) })) : null,
      order.payment.instructions ? h("details", {}, h("summary", {}, t("payInstructions")), h("p", { class: "instructions" }, order.payment.instructions)) : null),
    actions, message, ...fulfilmentView(order, points));

  shown = progressOf(order.status, order.fulfilment?.shipments);
  if (latest !== undefined && latest !== shown) refresh();
}

/** A presale order's way from its deposit to its balance, each step as far as the order itself tells. */
function presaleTimeline(order: api.Order, presale: api.OrderPresale): HTMLElement {
  const amount = (minor: number) => money(minor, order.currency);
  const step = (name: string, done: boolean, current: boolean, text: string, at?: string) =>
    h("li", { "data-step": name, "data-done": done, "aria-current": current ? "step" : null }, h("span", {}, text), at ? h("time", { datetime: at }, dateTime(at)) : null);
  const { status } = order;
  // Any status but these comes after a paid deposit.
  const depositPaid = !["awaiting-payment", "cancelled", "expired"].includes(status);
  const allocated = presale.allocated;
  const balance = allocated === undefined ? step("balance", false, false, t("tlBalanceLater"))
    : allocated === 0 ? null
    : status === "awaiting-balance" ? step("balance", false, true, t("tlBalanceDue", { amount: amount(order.payment.amountMinor ?? presale.balanceMinor ?? 0), time: dateTime(order.payment.expiresAt) }))
    : status === "forfeited" ? step("balance", true, true, t("order_forfeited"))
    : status === "paid" ? step("balance", true, false, t("tlBalancePaid", { amount: amount(presale.balanceMinor ?? 0) }))
    : null;
  return h("section", { class: "presale-progress", "aria-labelledby": "presale-title" }, h("h2", { id: "presale-title" }, t("presaleTitle")),
    h("ol", { class: "timeline" },
      step("ordered", true, false, t("tlOrdered", { n: presale.ordered }), order.createdAt),
      step("deposit", depositPaid, status === "awaiting-payment", t(depositPaid ? "tlDepositPaid" : "tlDepositDue", { amount: amount(presale.depositMinor) })),
      step("harvest", allocated !== undefined, status === "deposit-paid", allocated === undefined
        ? harvestWindow(presale)
        : t("tlAllocated", { allocated, ordered: presale.ordered })),
      ...(order.refunds ?? []).map((refund) => {
        const item = step("refund", true, false, t("refunded", { amount: amount(refund.amountMinor), reason: refund.reason }), refund.at);
        item.classList.add("refund");
        return item;
      }),
      balance));
}

/**
 * The seller's offer of another grade for what the harvest did not give: while it is open, the
 * shopper accepts it (a new order, paid in full, whose page opens) or declines it; after, how it
 * ended in words.
 */
function substituteView(order: api.Order, offer: api.Substitute, lot: Lot | null, methods: api.PaymentMethod[], onAnswered: () => void): HTMLElement {
  const words = { quantity: offer.quantity, lot: lot ? lotLabel(lot) : offer.lotId, price: money(offer.priceMinor, order.currency), time: dateTime(offer.expiresAt) };
  const section = h("section", { class: "card substitute", id: "substitute", "data-status": offer.status, "aria-labelledby": "substitute-title" },
    h("h2", { id: "substitute-title" }, t("substituteTitle")));
  if (offer.status !== "offered") {
    section.append(h("p", {}, t(`substitute_${offer.status}`, words)));
    if (offer.status === "accepted") section.append(h("p", {}, h("a", { href: `#/order/${offer.offerId}` }, t("substituteOrder"))));
    return section;
  }
  const message = h("p", { class: "message error", role: "alert" });
  const accept = h("button", { type: "submit", class: "primary", disabled: !methods.length }, t("acceptSubstitute"));
  const decline = h("button", { type: "button", onclick: async () => {
    accept.disabled = decline.disabled = true;
    try { await api.declineSubstitute(order.orderId); onAnswered(); } catch (error) { message.textContent = problemText(error); accept.disabled = decline.disabled = false; }
  } }, t("declineSubstitute"));
  const form = h("form", {
    novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const method = new FormData(form).get("paymentMethod");
      if (!method) return;
      accept.disabled = decline.disabled = true;
      try {
        location.hash = `#/order/${(await api.acceptSubstitute(order.orderId, String(method))).orderId}`;
      } catch (error) {
        message.textContent = problemText(error);
        accept.disabled = decline.disabled = false;
      }
    },
  }, methods.length ? methodChoices(methods) : h("p", {}, t("noMethods")), h("div", { class: "actions" }, accept, decline), message);
  section.append(h("p", { id: "substitute-offer" }, t("substituteOffer", words)), form);
  return section;
}

/** Where the order goes, the pickup code while there is a parcel to collect, and each shipment's timeline. */
function fulfilmentView(order: api.Order, points: api.PickupPoint[]): Node[] {
  const shipments = order.fulfilment?.shipments ?? [];
  const home = order.delivery?.kind === "home";
  const code = order.fulfilment?.pickupCode;
  const toCollect = shipments.some((s) => s.status !== "collected" && s.status !== "cancelled");
  return [
    order.delivery ? h("p", { id: "delivery" }, deliveryLine(order.delivery, points)) : null,
    code && !home && toCollect ? h("section", { class: "card pickup-code", "aria-labelledby": "pickup-code-title" },
      h("h2", { id: "pickup-code-title" }, t("pickupCodeTitle")), h("p", { id: "pickup-code", class: "code" }, code),
      h("p", { class: "muted" }, t("pickupCodeHowto"))) : null,
    shipments.length ? h("section", { id: "timeline", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title" }, t("timelineTitle")),
      ...shipments.map((shipment, index) => h("div", { class: "shipment", "data-status": shipment.status },
        shipments.length > 1 ? h("h3", {}, t("shipmentN", { n: index + 1 })) : null,
        timeline(shipment, home),
        shipment.trackingId ? h("p", { class: "muted" }, t("trackingId", { id: shipment.trackingId })) : null,
        shipment.cancelReason ? h("p", {}, t("cancelReason", { reason: shipment.cancelReason })) : null))) : null,
  ].filter((node): node is HTMLElement => node !== null);
}
