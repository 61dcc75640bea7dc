// The seller's order desk for one lot: its paid orders by shipment status, pack, ship (one, or a
// selected batch), deliver (home delivery), cancel with a reason, and the packing list as CSV.
// Orders moved elsewhere (a parcel handed over at a service point) arrive live.
import * as api from "../api";
import * as hub from "../hub";
import { dateTime, money, t, tv } from "../i18n";
import { errorText, field, formData, h, Scope, showFieldErrors } from "../dom";
import { deliveryLine, failure } from "./shopper";

const statuses: api.ShipmentStatus[] = ["awaiting-packing", "packed", "shipped", "at-pickup-point", "collected", "delivered", "cancelled"];
const pageSize = 20;

/** The tail of an order id: short enough to write on a parcel, and the same on every page. */
export const orderRef = (orderId: string) => t("orderRef", { ref: orderId.slice(-6) });

export async function deskPage(root: HTMLElement, scope: Scope, lotId: string) {
  const seller = api.identity("seller");
  if (!seller) return void root.replaceChildren(h("p", {}, h("a", { href: "#/seller" }, t("signUpSeller"))));
  let lot: api.Lot, points: api.PickupPoint[];
  try {
    [lot, points] = await Promise.all([api.getLot(lotId), api.pickupPoints("")]);
  } catch (error) {
    return failure(root, error, () => void deskPage(root, scope, lotId));
  }
  const filter = h("select", { onchange: () => void load() },
    h("option", { value: "" }, t("allStatuses")), ...statuses.map((s) => h("option", { value: s }, tv("ship_", s))));
  const list = h("ul", { class: "cards", id: "desk" });
  const note = h("p", { class: "message", id: "desk-note", role: "status", "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true, onclick: () => void load(true) }, t("moreOrders"));
  // Kept across redraws, so a live update between ticking and shipping loses nothing.
  const selected = new Set<string>();
  const errors = new Map<string, string>();
  const shipSelected = h("button", { type: "button", class: "primary", id: "ship-selected", onclick: async () => {
    shipSelected.disabled = true;
    try {
      const result = await api.shipMany([...selected]);
      selected.clear();
      note.textContent = [t("shippedCount", { count: result.shipped.length }), ...result.refused.map((r) => `${orderRef(r.orderId)}: ${r.detail}`)].join(" ");
    } catch (error) {
      note.textContent = errorText(error);
    }
    await load().catch(() => undefined);
  } });
  const paintSelection = () => {
    shipSelected.textContent = t("shipSelected", { count: selected.size });
    shipSelected.disabled = selected.size === 0;
  };
  const shipmentOf = (order: api.Order) => order.fulfilment?.shipments.find((s) => s.sellerId === seller.id);

  const reasons = new Map<string, string>();
  let shown: api.Order[] = [];
  let next: string | undefined;
  let loads = 0;
  /** The first page again (as many orders as are shown, so a redraw keeps the seller's place), or the next page. */
  const load = async (append = false) => {
    const mine = ++loads;
    const page = await api.lotOrders(lotId, filter.value, append ? pageSize : Math.min(100, Math.max(pageSize, shown.length)), append ? next : undefined);
    if (mine !== loads) return;
    shown = append ? [...shown, ...page.items] : page.items;
    next = page.next;
    const packed = new Set(shown.filter((o) => shipmentOf(o)?.status === "packed").map((o) => o.orderId));
    for (const orderId of selected) if (!packed.has(orderId)) selected.delete(orderId);
    // Keep focus in the row the seller just worked on.
    const focusedRow = document.activeElement?.closest<HTMLElement>("#desk li[data-order]")?.dataset.order;
    list.replaceChildren(...(shown.length ? shown.map(row) : [h("li", { class: "muted" }, t("noDeskOrders"))]));
    if (focusedRow) list.querySelector<HTMLElement>(`li[data-order="${focusedRow}"] :is(button, summary, input)`)?.focus();
    more.hidden = !next;
    paintSelection();
  };

  function row(order: api.Order): HTMLElement {
    const shipment = shipmentOf(order)!;
    const quantity = order.items.filter((i) => i.lotId === lotId).reduce((sum, i) => sum + i.quantity, 0);
    const message = h("p", { class: "message error", role: "alert" }, errors.get(order.orderId) ?? "");
    const act = (label: string, run: () => Promise<unknown>) => h("button", { type: "button", onclick: async (e: Event) => {
      (e.currentTarget as HTMLButtonElement).disabled = true;
      errors.delete(order.orderId);
      try { await run(); } catch (error) { errors.set(order.orderId, errorText(error)); }
      await load().catch(() => undefined);
    } }, label);
    // A reason being typed, and its open form, outlive the redraws that other orders' live updates cause.
    const reasonInput = h("input", { type: "text", maxlength: "500", required: true, value: reasons.get(order.orderId) ?? "" });
    reasonInput.addEventListener("input", () => reasons.set(order.orderId, reasonInput.value));
    const cancelForm = h("form", { novalidate: true, onsubmit: async (event: Event) => {
      event.preventDefault();
      try {
        await api.sellerCancel(order.orderId, formData(cancelForm).reason);
        errors.delete(order.orderId);
        reasons.delete(order.orderId);
        await load();
      } catch (error) {
        errors.set(order.orderId, errorText(error));
        message.textContent = errorText(error);
        showFieldErrors(cancelForm, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    } }, field("reason", t("reason"), reasonInput, `reason-${order.orderId}`), h("button", { type: "submit" }, t("confirmCancel")));
    const title = h("strong", {}, orderRef(order.orderId));
    const status = shipment.status;
    const actions = [
      status === "awaiting-packing" ? act(t("pack"), () => api.shipmentAction(order.orderId, "pack")) : null,
      status === "packed" ? act(t("ship"), () => api.shipmentAction(order.orderId, "ship")) : null,
      status === "shipped" && order.delivery?.kind === "home" ? act(t("markDelivered"), () => api.shipmentAction(order.orderId, "deliver")) : null,
      // The agent calls when the shopper's tries ran out; the seller lets them try again.
      status === "at-pickup-point" ? act(t("resetCode"), async () => { await api.resetPickupCode(order.orderId); note.textContent = t("codeReset", { order: orderRef(order.orderId) }); }) : null,
    ].filter((button): button is HTMLButtonElement => button !== null);
    return h("li", { class: "card desk-order", "data-order": order.orderId, "data-status": status },
      h("p", { class: "desk-head" },
        status === "packed"
          ? h("label", { class: "select" }, h("input", { type: "checkbox", checked: selected.has(order.orderId), onchange: (e: Event) => {
            if ((e.currentTarget as HTMLInputElement).checked) selected.add(order.orderId); else selected.delete(order.orderId);
            paintSelection();
          } }), title)
          : title,
        " ", h("span", { class: "badge", "data-status": status }, tv("ship_", status))),
      h("p", {}, `${quantity} × ${lot.unit} · ${money(order.totalMinor, order.currency)} · ${tv("method_", order.payment.method)}`),
      order.delivery ? h("p", { class: "muted" }, deliveryLine(order.delivery, points)) : null,
      h("p", { class: "muted" }, dateTime(shipment.history[shipment.history.length - 1]?.at ?? order.createdAt)),
      shipment.cancelReason ? h("p", {}, t("cancelReason", { reason: shipment.cancelReason })) : null,
      actions.length ? h("div", { class: "actions" }, ...actions) : null,
      status === "awaiting-packing" || status === "packed"
        ? h("details", { class: "cancel", open: reasons.has(order.orderId), ontoggle: (e: Event) => {
          if ((e.currentTarget as HTMLDetailsElement).open) reasons.set(order.orderId, reasons.get(order.orderId) ?? reasonInput.value); else reasons.delete(order.orderId);
        } }, h("summary", {}, t("cancelShipment")), cancelForm)
        : null,
      message);
  }

  const csv = h("button", { type: "button", onclick: () => {
    void api.downloadCsv(api.lotOrdersPath(lotId, filter.value, 100), "seller", `packing-${lotId}.csv`).catch((error) => { note.textContent = errorText(error); });
  } }, t("downloadCsv"));
  hub.watchSellerOrders();
  scope.add(hub.on("order", (update) => { if (update.shipments?.some((s) => s.sellerId === seller.id)) void load().catch(() => undefined); }));
  scope.add(hub.on("resync", () => void load().catch(() => undefined)));
  root.replaceChildren(
    h("p", {}, h("a", { href: "#/seller" }, t("dashboardTitle"))),
    h("h1", {}, t("deskTitle", { name: lot.name })),
    h("div", { class: "actions" }, field("status", t("filterStatus"), filter), csv),
    h("div", { class: "actions" }, shipSelected), note, list, more);
  paintSelection();
  try { await load(); } catch (error) { list.replaceChildren(h("li", { class: "error" }, errorText(error))); }
}
