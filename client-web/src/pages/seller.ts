// The seller's pages: sign up, create a lot, and the live dashboard of the seller's lots, each
// with a link to its order desk (pages/desk.ts); the money is on pages/money.ts.
import * as api from "../api";
import * as hub from "../hub";
import type { SellThroughUpdate } from "../hub";
import { minorDigits, money, t, tv } from "../i18n";
import { errorText, field, formData, h, Scope, showFieldErrors } from "../dom";

export function signUpForm(role: "seller" | "agent", title: string, onDone: () => void): HTMLFormElement {
  const message = h("p", { class: "message error", role: "alert" });
  const form = h("form", {
    novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = formData(form);
      try {
        await api.signUp(role, role === "seller" ? { name: data.name, ...(data.village ? { village: data.village } : {}) } : { name: data.name, village: data.village });
        onDone();
      } catch (error) {
        message.textContent = errorText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    },
  },
    h("h2", {}, title),
    field("name", t("yourName"), h("input", { type: "text", autocomplete: "name", required: true })),
    field("village", t("village"), h("input", { type: "text", required: role === "agent" })),
    h("button", { type: "submit", class: "primary" }, t("signUp")), message);
  return form;
}

function lotForm(onCreated: () => void): HTMLFormElement {
  const message = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const input = (type: string, extra: Record<string, unknown> = {}) => h("input", { type, ...extra });
  const form = h("form", {
    class: "card", novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = formData(form);
      const number = (value: string) => (value === "" ? null : Number(value));
      const currency = data.currency.toUpperCase();
      const price = number(data.priceMinor);
      const body = {
        name: data.name, unit: data.unit, currency,
        // The seller types a price in yuan; the API takes minor units (fen).
        priceMinor: price === null ? null : Math.round(price * 10 ** (/^[A-Z]{3}$/.test(currency) ? safeDigits(currency) : 2)),
        quantity: number(data.quantity), perShopperLimit: number(data.perShopperLimit),
        startsAt: data.startsAt ? new Date(data.startsAt).toISOString() : undefined,
        endsAt: data.endsAt ? new Date(data.endsAt).toISOString() : undefined,
        waitingRoom: data["waitingRoom.admitPerSecond"] ? { admitPerSecond: number(data["waitingRoom.admitPerSecond"]) } : undefined,
      };
      try {
        await api.createLot(body);
        form.reset();
        showFieldErrors(form, {});
        message.className = "message";
        message.textContent = t("lotCreated");
        onCreated();
      } catch (error) {
        message.className = "message error";
        message.textContent = errorText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    },
  },
    h("h2", {}, t("newLot")),
    field("name", t("lotName"), input("text", { required: true, maxlength: "200" })),
    field("unit", t("unit"), input("text", { required: true, maxlength: "200" })),
    field("priceMinor", t("price"), input("number", { required: true, min: "0.01", step: "0.01", inputmode: "decimal" })),
    field("currency", t("currency"), input("text", { required: true, value: "CNY", maxlength: "3", autocapitalize: "characters" })),
    field("quantity", t("quantity"), input("number", { required: true, min: "1", inputmode: "numeric" })),
    field("perShopperLimit", t("perShopperLimit"), input("number", { required: true, min: "1", inputmode: "numeric" })),
    field("startsAt", t("startsAt"), input("datetime-local", { step: "1" })),
    field("endsAt", t("endsAt"), input("datetime-local", { step: "1" })),
    field("waitingRoom.admitPerSecond", t("admitPerSecond"), input("number", { min: "1", inputmode: "numeric" })),
    h("button", { type: "submit", class: "primary" }, t("createLot")), message);
  return form;
}

function safeDigits(currency: string): number {
  try { return minorDigits(currency); } catch { return 2; }
}

/** Sold units per minute as bars in an SVG; works without images and scales to any width. */
function chart(points: { minute: string; sold: number }[]): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const recent = points.slice(-30);
  const max = Math.max(1, ...recent.map((p) => p.sold));
  svg.setAttribute("viewBox", "0 0 300 60");
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${t("sellThroughChart")}: ${recent.map((p) => p.sold).join(", ")}`);
  recent.forEach((p, i) => {
    const bar = document.createElementNS(ns, "rect");
    const height = (p.sold / max) * 56;
    Object.entries({ x: i * 10 + 1, y: 60 - height, width: 8, height }).forEach(([k, v]) => bar.setAttribute(k, String(v)));
    svg.append(bar);
  });
  return svg;
}

function dashboardCard(view: SellThroughUpdate, currency: string): HTMLElement {
  const stat = (key: "sold" | "reserved" | "available" | "revenue" | "paidOrders" | "holdsExpiring", value: string | number) =>
    h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(key)), h("dd", {}, String(value)));
  const action = (label: string, run: () => Promise<unknown>) =>
    h("button", { type: "button", onclick: async (e: Event) => {
      const button = e.currentTarget as HTMLButtonElement;
      button.disabled = true;
      try { await run(); } catch (error) { alertIn(card, errorText(error)); } finally { button.disabled = false; }
    } }, label);
  const restockInput = h("input", { type: "number", min: "1", value: "10", inputmode: "numeric", "aria-label": t("restockBy"), class: "narrow" });
  const card = h("li", { class: "card dashboard", "data-lot": view.lotId, "data-status": view.status },
    h("h2", {}, view.name, " ", h("span", { class: "badge", "data-status": view.status }, tv("status_", view.status))),
    h("dl", { class: "stats" }, stat("sold", view.sold), stat("reserved", view.reserved), stat("available", view.available),
      stat("revenue", money(view.revenueMinor, currency)), stat("paidOrders", view.paidOrders), stat("holdsExpiring", view.holdsExpiringSoon)),
    h("p", { class: "muted" }, t("sellThroughChart")), chart(view.sellThrough),
    h("p", {}, h("a", { href: `#/seller/orders/${view.lotId}` }, t("orderDesk"))),
    h("div", { class: "actions" },
      view.status === "paused" ? action(t("resume"), () => api.lotAction(view.lotId, "resume")) : action(t("pause"), () => api.lotAction(view.lotId, "pause")),
      restockInput, action(t("restock"), () => api.restock(view.lotId, Number(restockInput.value)))),
    h("p", { class: "message error", role: "alert" }));
  return card;
}

function alertIn(card: HTMLElement, text: string) {
  card.querySelector(".message")!.textContent = text;
}

export async function sellerPage(root: HTMLElement, scope: Scope) {
  const seller = api.identity("seller");
  if (!seller) {
    root.replaceChildren(h("h1", {}, t("sellerTitle")), signUpForm("seller", t("signUpSeller"), () => void sellerPage(root, scope)));
    return;
  }
  void hub.connect(seller.token);
  const list = h("ul", { class: "cards", id: "dashboard" });
  const views = new Map<string, SellThroughUpdate>();
  const currencies = new Map<string, string>();
  const cards = new Map<string, HTMLElement>();
  const paint = (view: SellThroughUpdate) => {
    const known = views.get(view.lotId);
    if (known && known.version > view.version) return;
    views.set(view.lotId, view);
    const card = dashboardCard(view, currencies.get(view.lotId) ?? "CNY");
    const old = cards.get(view.lotId);
    // Keep focus on the button the seller just pressed when the card is redrawn.
    const focused = old?.contains(document.activeElement) ? [...old.querySelectorAll("button, input")].indexOf(document.activeElement!) : -1;
    if (old) old.replaceWith(card); else list.prepend(card);
    cards.set(view.lotId, card);
    if (focused >= 0) (card.querySelectorAll("button, input")[focused] as HTMLElement | undefined)?.focus();
  };
  const load = async () => {
    const own = await api.myLots();
    own.forEach((l) => currencies.set(l.lotId, l.currency));
    const stats = await Promise.all(own.map((l) => api.lotStats(l.lotId)));
    own.forEach((l, i) => paint({ ...stats[i], lotId: l.lotId, name: l.name, quantity: l.quantity, status: l.status, version: l.version, holdsExpiringSoon: stats[i].holdsExpiringSoon ?? views.get(l.lotId)?.holdsExpiringSoon ?? 0 }));
  };
  scope.add(hub.on("sellThrough", paint));
  scope.add(hub.on("resync", () => void load().catch(() => undefined)));
  root.replaceChildren(h("h1", {}, t("sellerTitle")), h("p", { class: "muted" }, t("signedInAs", { name: seller.name })),
    h("p", {}, h("a", { href: "#/seller/money" }, t("moneyLink"))),
    lotForm(() => void load().then(() => hub.watchSeller())), h("h2", {}, t("dashboardTitle")), list);
  try { await load(); } catch (error) { list.replaceChildren(h("p", { class: "error" }, errorText(error))); }
  hub.watchSeller();
}
