// The village agent's service point: parcels on their way or waiting (mark arrived, hand over
// against the code the shopper tells), and the cash the agent holds per seller, handed over to
// the seller as a remittance that the seller confirms.
import * as api from "../api";
import * as hub from "../hub";
import { minorDigits, money, t, tv } from "../i18n";
import { errorText, field, h, Scope, showFieldErrors } from "../dom";
import { orderRef } from "./desk";
import { failure } from "./shopper";

const steps: api.ShipmentStatus[] = ["awaiting-packing", "packed", "shipped", "at-pickup-point", "collected"];

/** Where a parcel stands at the point: its least advanced shipment (a cancelled one travels no more). */
function parcelStatus(order: api.Order): api.ShipmentStatus {
  const moving = (order.fulfilment?.shipments ?? []).filter((s) => s.status !== "cancelled");
  return moving.length ? steps[Math.min(...moving.map((s) => steps.indexOf(s.status)))] : "cancelled";
}

export async function parcelsPage(root: HTMLElement, scope: Scope) {
  if (!api.identity("agent")) return void root.replaceChildren(h("p", {}, h("a", { href: "#/agent" }, t("signUpAgent"))));
  let lots: api.Lot[];
  try { lots = await api.listLots(); } catch (error) { return failure(root, error, () => void parcelsPage(root, scope)); }
  const lotName = new Map(lots.map((l) => [l.lotId, l.name]));
  // Agents know sellers by what they sell.
  const sellerName = (sellerId: string) => [...new Set(lots.filter((l) => l.sellerId === sellerId).map((l) => l.name))].slice(0, 2).join(", ") || sellerId;

  const parcelList = h("ul", { class: "cards", id: "parcels" });
  // A refused handover's message, and a code or an amount being typed, outlive the redraws that
  // live updates cause (another parcel arriving must not wipe the code the shopper just told).
  const errors = new Map<string, string>();
  const typed = new Map<string, string>();
  const kept = (key: string, input: HTMLInputElement) => {
    if (typed.has(key)) input.value = typed.get(key)!;
    input.addEventListener("input", () => typed.set(key, input.value));
    return input;
  };
  const loadParcels = async () => {
    const parcels = (await api.parcels()).sort((a, b) => steps.indexOf(parcelStatus(a)) - steps.indexOf(parcelStatus(b)));
    parcelList.replaceChildren(...(parcels.length ? parcels.map(parcel) : [h("li", { class: "muted" }, t("noParcels"))]));
  };

  function parcel(order: api.Order): HTMLElement {
    const status = parcelStatus(order);
    const message = h("p", { class: "message error", role: "alert" }, errors.get(order.orderId) ?? "");
    const refused = (error: unknown) => {
      // A wrong code is the server's own words (in the reader's language): nothing changed.
      const text = error instanceof api.ApiError && error.status === 409 && error.message ? error.message : errorText(error);
      errors.set(order.orderId, text);
      message.textContent = text;
    };
    const code = kept(`code-${order.orderId}`, h("input", { type: "text", inputmode: "numeric", autocomplete: "off", maxlength: "6", pattern: "[0-9]{6}", required: true }));
    const handover = h("form", { class: "handover", novalidate: true, onsubmit: async (event: Event) => {
      event.preventDefault();
      try {
        await api.handOver(order.orderId, code.value.trim());
        errors.delete(order.orderId);
        typed.delete(`code-${order.orderId}`);
        await Promise.all([loadParcels(), loadCash()]);
      } catch (error) {
        refused(error);
        showFieldErrors(handover, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    } }, field("pickupCode", t("pickupCodeInput"), code, `code-${order.orderId}`), h("button", { type: "submit", class: "primary" }, t("handOver")));
    const cashDue = order.status === "confirmed-cod";
    return h("li", { class: "card", "data-order": order.orderId, "data-status": status },
      h("p", {}, h("strong", {}, orderRef(order.orderId)), " ", h("span", { class: "badge", "data-status": status }, tv("ship_", status))),
      h("p", {}, order.items.map((i) => `${i.quantity} × ${lotName.get(i.lotId) ?? i.lotId}`).join(", ")),
      cashDue ? h("p", { class: "cash-due" }, t("collectCash", { amount: money(order.totalMinor, order.currency) })) : null,
      status === "shipped" ? h("button", { type: "button", class: "primary", onclick: async (e: Event) => {
        (e.currentTarget as HTMLButtonElement).disabled = true;
        try { await api.parcelArrived(order.orderId); await loadParcels(); } catch (error) { refused(error); }
      } }, t("markArrived")) : null,
      status === "at-pickup-point" ? handover : null,
      message);
  }

  const cashList = h("ul", { class: "cards", id: "cash" });
  const cashMessage = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const loadCash = async () => {
    const held = await api.agentCash();
    cashList.replaceChildren(...(held.length ? held.map((c) => {
      const digits = minorDigits(c.currency);
      const free = c.heldMinor - c.pendingRemittanceMinor;
      const amountKey = `remit-${c.sellerId}-${c.currency}`;
      const amount = kept(amountKey, h("input", { type: "number", inputmode: "decimal", min: "0.01", step: String(10 ** -digits), required: true, value: free > 0 ? (free / 10 ** digits).toFixed(digits) : "" }));
      const remitForm = h("form", { novalidate: true, onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          await api.remit(c.sellerId, c.currency, Math.round(Number(amount.value) * 10 ** digits));
          typed.delete(amountKey);
          await loadCash();
          cashMessage.className = "message";
          cashMessage.textContent = t("remitted");
        } catch (error) {
          cashMessage.className = "message error";
          cashMessage.textContent = errorText(error);
          showFieldErrors(remitForm, error instanceof api.ApiError ? error.fieldErrors : {});
        }
      } }, field("amountMinor", t("remitAmount"), amount, `remit-${c.sellerId}-${c.currency}`), h("button", { type: "submit" }, t("remit")));
      return h("li", { class: "card", "data-seller": c.sellerId, "data-currency": c.currency },
        h("h3", {}, t("cashFor", { seller: sellerName(c.sellerId) })),
        h("p", { class: "held", "data-held": c.heldMinor }, t("heldAmount", { amount: money(c.heldMinor, c.currency) })),
        c.pendingRemittanceMinor ? h("p", { class: "muted pending" }, t("pendingAmount", { amount: money(c.pendingRemittanceMinor, c.currency) })) : null,
        free > 0 ? remitForm : null);
    }) : [h("li", { class: "muted" }, t("noCash"))]));
  };

  // Parcels coming to the agent's point are watched with the villagers' orders.
  hub.watchVillagers();
  const reload = () => void Promise.all([loadParcels(), loadCash()]).catch(() => undefined);
  scope.add(hub.on("order", reload));
  scope.add(hub.on("resync", reload));
  root.replaceChildren(
    h("p", {}, h("a", { href: "#/agent" }, t("agentTitle"))),
    h("h1", {}, t("parcelsTitle")), parcelList,
    h("h2", {}, t("cashTitle")), cashMessage, cashList);
  await Promise.all([loadParcels(), loadCash()]).catch((error) => parcelList.replaceChildren(h("li", { class: "error" }, errorText(error))));
}
