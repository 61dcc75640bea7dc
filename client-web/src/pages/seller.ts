// The seller's pages: sign up, create a lot (a presale too), and the live dashboard of the seller's
// lots, where a lot is edited before it opens, a sale is ended and a presale's harvest declared,
// each with a link to its order desk (pages/desk.ts); the money is on pages/money.ts.
import * as api from "../api";
import * as hub from "../hub";
import type { SellThroughUpdate } from "../hub";
import { dateTime, minorDigits, money, t, tv, type Key } from "../i18n";
import { errorText, field, formData, h, problemText, Scope, showFieldErrors } from "../dom";
import { depositPerUnit, harvestWindow, lotLabel, presaleBadges } from "./shopper";

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
  const presale = h("input", { type: "checkbox", name: "kind", value: "presale", "aria-controls": "presale-terms", onchange: () => showTerms() });
  const terms = presaleFields(input);
  const showTerms = () => { terms.hidden = terms.disabled = !presale.checked; };
  const form = h("form", {
    class: "card", novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = formData(form);
      const number = (value: string) => (value === "" ? null : Number(value));
      const instant = (value: string) => (value ? new Date(value).toISOString() : null);
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
        // A presale's terms, only when chosen (the API refuses them on a standard lot). A required
        // term left empty is sent as null, so the server names it beside its field.
        ...(data.kind === "presale" ? {
          kind: "presale", depositPercent: number(data.depositPercent), harvestFrom: instant(data.harvestFrom), harvestTo: instant(data.harvestTo),
          balanceWindowHours: number(data.balanceWindowHours), allocation: data.allocation ?? null, grade: data.grade || undefined,
          unitWeightGrams: number(data.unitWeightGrams) ?? undefined, weightTolerancePercent: number(data.weightTolerancePercent) ?? undefined,
        } : {}),
      };
      try {
        await api.createLot(body);
        form.reset();
        showTerms();
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
    h("label", { class: "method" }, presale, h("span", {}, t("presaleChoice"))), terms,
    h("button", { type: "submit", class: "primary" }, t("createLot")), message);
  return form;
}

/**
 * A presale's terms for the lot form. The fieldset is disabled while the choice is off, so none
 * of its fields reaches the form's data.
 */
function presaleFields(input: (type: string, extra?: Record<string, unknown>) => HTMLInputElement): HTMLFieldSetElement {
  const rules = (["pro-rata", "first-come"] as const).map((rule) => h("label", { class: "method" },
    h("input", { type: "radio", name: "allocation", value: rule, checked: rule === "pro-rata", "aria-describedby": "f-allocation-error" }),
    h("span", {}, h("strong", {}, t(`alloc_${rule}`)), h("small", {}, t(`allocHow_${rule}`)))));
  return h("fieldset", { class: "choices", id: "presale-terms", hidden: true, disabled: true },
    h("legend", {}, t("presaleTerms")),
    field("depositPercent", t("depositPercent"), input("number", { min: "1", max: "50", value: "30", inputmode: "numeric" })),
    field("harvestFrom", t("harvestFrom"), input("datetime-local", { step: "1" })),
    field("harvestTo", t("harvestTo"), input("datetime-local", { step: "1" })),
    field("balanceWindowHours", t("balanceWindowHours"), input("number", { min: "1", max: "720", value: "48", inputmode: "numeric" })),
    h("fieldset", { class: "methods" }, h("legend", {}, t("allocation")), ...rules,
      h("p", { class: "field-error", id: "f-allocation-error", "data-error-for": "allocation" })),
    field("grade", t("grade"), input("text", { maxlength: "200" })),
    field("unitWeightGrams", t("unitWeightGrams"), input("number", { min: "1", inputmode: "numeric" })),
    field("weightTolerancePercent", t("weightTolerancePercent"), input("number", { min: "0", max: "20", inputmode: "numeric" })));
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

type Panel = "edit" | "end";

/**
 * A lot's figures and controls, drawn again on every live update. The edit form or the end
 * confirmation the seller opened sits below them in the card and is not redrawn, so a live
 * update never takes away what the seller is typing. A presale's own figures are the server's
 * (`presale` in its stats), as of the last time they were asked for.
 */
function lotFigures(view: SellThroughUpdate, lot: api.Lot | undefined, farmer: api.PresaleStats | undefined, open: Panel | undefined, toggle: (panel: Panel) => void): HTMLElement {
  const stat = (key: Key, value: string | number) =>
    h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(key)), h("dd", {}, String(value)));
  const action = (label: string, run: () => Promise<unknown>) =>
    h("button", { type: "button", onclick: async (e: Event) => {
      const button = e.currentTarget as HTMLButtonElement;
      button.disabled = true;
      try { await run(); } catch (error) { alertIn(figures, errorText(error)); } finally { button.disabled = false; }
    } }, label);
  const opener = (panel: Panel, label: string) =>
    h("button", { type: "button", "data-panel": panel, "aria-expanded": String(open === panel), "aria-controls": `panel-${view.lotId}`, onclick: () => toggle(panel) }, label);
  const restockInput = h("input", { type: "number", min: "1", value: "10", inputmode: "numeric", "aria-label": t("restockBy"), class: "narrow" });
  const times = lot ? [view.status === "scheduled" && lot.startsAt ? t("opensOn", { time: dateTime(lot.startsAt) }) : null,
    view.status !== "ended" && lot.endsAt ? t("endsOn", { time: dateTime(lot.endsAt) }) : null].filter(Boolean).join(" · ") : "";
  const presale = lot?.presale;
  const currency = lot?.currency ?? "CNY";
  const amount = (minor: number) => money(minor, currency);
  // Before the harvest a presale's units are ordered against a forecast, each with its deposit
  // paid ("sold" would say the same again); after it, where every share's balance stands.
  const forecasting = farmer !== undefined && farmer.declared === undefined;
  const presaleStats = !farmer ? [] : forecasting
    ? [stat("forecast", farmer.forecast), stat("ordered", farmer.ordered), stat("deposits", amount(farmer.depositsMinor))]
    : [stat("deposits", amount(farmer.depositsMinor)), stat("allocatedOfDeclared", t("countOf", { n: farmer.allocated ?? 0, total: farmer.declared ?? 0 })),
      stat("balancesPaid", `${t("countOf", { n: farmer.balancesPaid, total: farmer.balancesPaid + farmer.awaitingBalance + farmer.forfeited })} · ${amount(farmer.balancesPaidMinor)}`),
      stat("balancesOutstanding", `${farmer.awaitingBalance} · ${amount(farmer.balancesOutstandingMinor)}`),
      stat("forfeitedOrders", farmer.forfeited), stat("refundedOrders", farmer.refunded)];
  const figures = h("div", {},
    h("h2", {}, view.name, " ", h("span", { class: "badge", "data-status": view.status }, tv("status_", view.status)), presale ? " " : null, presale ? presaleBadges(presale) : null),
    lot ? h("p", { class: "terms" }, t("unitPrice", { price: money(lot.priceMinor, lot.currency), unit: lot.unit }), " · ", t("perShopper", { limit: lot.perShopperLimit })) : null,
    lot && presale ? h("p", { class: "terms presale-terms" }, t("depositTerms", { percent: presale.depositPercent, deposit: money(depositPerUnit(lot), lot.currency) }),
      " · ", harvestWindow(presale), " · ", t(`alloc_${presale.allocation}`)) : null,
    times ? h("p", { class: "muted terms" }, times) : null,
    presaleStats.length ? h("dl", { class: "stats presale-figures" }, ...presaleStats) : null,
    h("dl", { class: "stats" }, forecasting ? null : stat("sold", view.sold), stat("reserved", view.reserved), stat("available", view.available),
      stat("revenue", amount(view.revenueMinor)), stat("paidOrders", view.paidOrders), stat("holdsExpiring", view.holdsExpiringSoon)),
    h("p", { class: "muted" }, t("sellThroughChart")), chart(view.sellThrough),
    h("p", {}, h("a", { href: `#/seller/orders/${view.lotId}` }, t("orderDesk"))),
    // An ended sale takes no pause, restock or edit: only its placed orders are left, on the desk.
    view.status === "ended" ? null : h("div", { class: "actions" },
      view.status === "paused" ? action(t("resume"), () => api.lotAction(view.lotId, "resume")) : action(t("pause"), () => api.lotAction(view.lotId, "pause")),
      restockInput, action(t("restock"), () => api.restock(view.lotId, Number(restockInput.value))),
      view.status === "scheduled" && lot ? opener("edit", t("editLot")) : null, opener("end", t("endSale"))),
    h("p", { class: "message error", role: "alert" }));
  return figures;
}

function alertIn(figures: HTMLElement, text: string) {
  figures.querySelector(".message")!.textContent = text;
}

/** An instant as a datetime-local field shows it: the seller's local time, to the second. */
function localInput(iso: string | null): string {
  if (!iso) return "";
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/**
 * The terms of a lot not yet open, prefilled as the lot form takes them (the price in major
 * units). Only the fields the seller changed are sent; the server's messages appear beside their
 * fields, as in the lot form, and a refusal because the lot opened meanwhile in the server's words.
 */
function editForm(lot: api.Lot, onSaved: (lot: api.Lot) => void, onCancel: () => void): HTMLFormElement {
  const scale = 10 ** safeDigits(lot.currency);
  const shown: Record<string, string> = {
    name: lot.name, unit: lot.unit, priceMinor: String(lot.priceMinor / scale), perShopperLimit: String(lot.perShopperLimit),
    startsAt: localInput(lot.startsAt), endsAt: localInput(lot.endsAt),
  };
  // The prefilled and the typed values are read alike, so the same value written another way
  // ("68.0", a time whose seconds the browser leaves out) is no change.
  const terms = (data: Record<string, string>): Record<string, unknown> => ({
    name: data.name, unit: data.unit, priceMinor: Math.round(Number(data.priceMinor) * scale), perShopperLimit: Number(data.perShopperLimit),
    startsAt: data.startsAt && new Date(data.startsAt).toISOString(), endsAt: data.endsAt && new Date(data.endsAt).toISOString(),
  });
  const before = terms(shown);
  const message = h("p", { class: "message error", role: "alert" });
  const edit = (name: string, label: string, type: string, extra: Record<string, unknown> = {}) =>
    field(name, label, h("input", { type, value: shown[name], required: shown[name] !== "", ...extra }), `edit-${lot.lotId}-${name}`);
  const form = h("form", {
    class: "edit-lot", novalidate: true, "aria-label": `${t("editLot")}: ${lot.name}`,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = formData(form);
      // Left out, a field keeps its value: an emptied one is named rather than silently kept.
      const emptied = Object.keys(shown).filter((name) => data[name] === "" && shown[name] !== "");
      if (showFieldErrors(form, Object.fromEntries(emptied.map((name) => [name, [t("fieldRequired")]])))) {
        message.textContent = t("error_invalid-request");
        return;
      }
      const after = terms(data);
      const changed = Object.fromEntries(Object.entries(after).filter(([name, value]) => value !== before[name]));
      if (Object.keys(changed).length === 0) return onCancel();
      try {
        onSaved(await api.editLot(lot.lotId, changed));
      } catch (error) {
        message.textContent = error instanceof api.ApiError && error.status === 409 && error.message ? error.message : errorText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    },
  },
    edit("name", t("lotName"), "text", { maxlength: "200" }),
    edit("unit", t("unit"), "text", { maxlength: "200" }),
    edit("priceMinor", t("price"), "number", { min: "0.01", step: "0.01", inputmode: "decimal" }),
    edit("perShopperLimit", t("perShopperLimit"), "number", { min: "1", inputmode: "numeric" }),
    edit("startsAt", t("opensAt"), "datetime-local", { step: "1" }),
    edit("endsAt", t("closesAt"), "datetime-local", { step: "1" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("saveChanges")), h("button", { type: "button", onclick: onCancel }, t("cancelEdit"))),
    message);
  return form;
}

/** The step before ending a sale, in the page: an ended sale does not open again. */
function endConfirmation(lotId: string, onEnded: (lot: api.Lot) => void, onKeep: () => void): HTMLElement {
  const message = h("p", { class: "message error", role: "alert" });
  const end = h("button", { type: "button", class: "danger", onclick: async () => {
    end.disabled = true;
    try { onEnded(await api.lotAction(lotId, "end")); } catch (error) { message.textContent = errorText(error); end.disabled = false; }
  } }, t("endConfirm"));
  return h("div", { class: "confirm", role: "group", tabindex: "-1", "aria-labelledby": `end-${lotId}` },
    h("p", { id: `end-${lotId}` }, t("endQuestion")),
    h("div", { class: "actions" }, end, h("button", { type: "button", onclick: onKeep }, t("endKeep"))), message);
}

/**
 * A presale's harvest: the declaration form while none is declared, then what was declared and
 * every order's share (read again on every load), with an offer of another grade beside each
 * order the harvest cut short. It sits apart from the figures, so a live update neither clears
 * what the seller types nor the shares shown.
 */
function harvestPanel(lot: api.Lot, grades: () => api.Lot[], onDeclared: () => void): HTMLElement {
  const titleId = `harvest-${lot.lotId}`;
  // A group, not a region: every presale card has one, and landmarks of the same name would not tell them apart.
  const panel = h("div", { class: "harvest", role: "group", "aria-labelledby": titleId, tabindex: "-1" });
  const title = h("h3", { id: titleId }, t("declareTitle"));
  const declared = (declaration: { declared: number; declaredAt: string }) =>
    h("p", { class: "declared" }, t("harvestDeclared", { declared: declaration.declared, time: dateTime(declaration.declaredAt) }));
  const show = (declaration: api.HarvestDeclaration) =>
    panel.replaceChildren(title, declared(declaration), ...(declaration.orders.length ? [sharesTable(declaration, grades)] : []));
  if (lot.harvest) {
    panel.append(title, declared(lot.harvest));
    void api.getHarvest(lot.lotId).then((declaration) => { if (declaration) show(declaration); },
      (error) => panel.append(h("p", { class: "message error", role: "alert" }, errorText(error))));
    return panel;
  }
  const quantity = h("input", { type: "number", min: "0", inputmode: "numeric", required: true });
  const declare = h("button", { type: "submit", class: "primary" }, t("declareHarvest"));
  const message = h("p", { class: "message error", role: "alert" });
  const form = h("form", {
    novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      declare.disabled = true;
      try {
        // Left empty, the quantity is sent as null for the server to name, never as a harvest of 0.
        show(await api.declareHarvest(lot.lotId, quantity.value === "" ? null : Number(quantity.value)));
        panel.focus();
        onDeclared();
      } catch (error) {
        // A refusal by the lot (outside the window, deposits still awaited) is in the server's words.
        message.textContent = error instanceof api.ApiError && error.status === 409 && error.message ? error.message : errorText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
        declare.disabled = false;
      }
    },
  }, field("quantity", t("harvestQuantity"), quantity, `${titleId}-quantity`), declare, message);
  panel.append(title, form);
  return panel;
}

/** Every order's share; below each order the harvest cut short, a row with the offer of another grade. */
function sharesTable(declaration: api.HarvestDeclaration, grades: () => api.Lot[]): HTMLTableElement {
  return h("table", { class: "shares" }, h("caption", {}, t("sharesTitle")),
    h("thead", {}, h("tr", {}, ...[t("orderCol"), t("orderedCol"), t("allocatedCol")].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, ...declaration.orders.flatMap((share) => [
      h("tr", { "data-order": share.orderId }, h("td", {}, share.orderId.slice(-6)), h("td", {}, share.ordered), h("td", {}, share.allocated)),
      ...(share.allocated < share.ordered ? [h("tr", { class: "offer-row", "data-offer-for": share.orderId }, h("td", { colspan: "3" }, substituteOffer(share, grades)))] : []),
    ])));
}

/**
 * An offer of another grade to an order the harvest cut short: units of another of the seller's
 * declared presales that has some left, at most what the harvest did not give. The grades are
 * listed when the offer is opened, with what the live dashboard knows is left of each then.
 */
function substituteOffer(share: api.HarvestShare, grades: () => api.Lot[]): HTMLDetailsElement {
  const id = `offer-${share.orderId}`;
  const cut = share.ordered - share.allocated;
  const grade = h("select", { required: true });
  const quantity = h("input", { type: "number", min: "1", max: String(cut), value: String(cut), inputmode: "numeric", required: true });
  const send = h("button", { type: "submit" }, t("offerSubstitute"));
  const message = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const offered = new Map<string, api.Lot>();
  const form = h("form", {
    novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      send.disabled = true;
      try {
        const offer = (await api.offerSubstitute(share.orderId, grade.value, Number(quantity.value))).substitute!;
        const lot = offered.get(offer.lotId);
        message.className = "message";
        message.textContent = t("substituteOffered", { quantity: offer.quantity, lot: lot ? lotLabel(lot) : offer.lotId, time: dateTime(offer.expiresAt) });
        form.replaceWith(message);
      } catch (error) {
        message.className = "message error";
        message.textContent = problemText(error);
        showFieldErrors(form, error instanceof api.ApiError ? error.fieldErrors : {});
        send.disabled = false;
      }
    },
  }, field("lotId", t("substituteGrade"), grade, `${id}-lot`), field("quantity", t("substituteQuantity", { cut }), quantity, `${id}-quantity`), send, message);
  const none = h("p", { class: "muted", hidden: true }, t("noOtherGrade"));
  const details = h("details", { class: "offer", ontoggle: () => {
    if (!details.open || !form.isConnected) return;
    const lots = grades();
    offered.clear();
    lots.forEach((lot) => offered.set(lot.lotId, lot));
    const chosen = grade.value;
    grade.replaceChildren(...lots.map((lot) => h("option", { value: lot.lotId, selected: lot.lotId === chosen },
      `${lotLabel(lot)} · ${t("leftOf", { available: lot.available, quantity: lot.quantity })}`)));
    form.hidden = !lots.length;
    none.hidden = lots.length > 0;
  } }, h("summary", {}, t("offerAnotherGrade")), form, none);
  return details;
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
  const lots = new Map<string, api.Lot>();
  const cards = new Map<string, HTMLElement>();
  const panels = new Map<string, Panel>();
  // A presale's figures come from its stats, since only its orders know where their balances
  // stand. They are asked for again when a live update brings a newer version of the lot than
  // they were read at, one ask at a time per lot (a burst of updates makes one more ask, not many).
  const farmers = new Map<string, api.PresaleStats>();
  const farmerVersions = new Map<string, number>();
  const asking = new Map<string, boolean>();
  const askFarmer = (lotId: string) => {
    if (asking.has(lotId)) return void asking.set(lotId, true);
    asking.set(lotId, false);
    farmerVersions.set(lotId, views.get(lotId)?.version ?? -1);
    void api.lotStats(lotId).then((stats) => { if (stats.presale) { farmers.set(lotId, stats.presale); draw(lotId); } }, () => undefined).finally(() => {
      const again = asking.get(lotId);
      asking.delete(lotId);
      if (again) askFarmer(lotId);
    });
  };
  /** The seller's other declared presales with units left, as the live dashboard knows them now: the grades an order cut short may be offered. */
  const otherGrades = (lotId: string) => [...lots.values()]
    .map((lot) => ({ ...lot, available: views.get(lot.lotId)?.available ?? lot.available }))
    .filter((lot) => lot.lotId !== lotId && lot.presale && lot.harvest && lot.available > 0);
  const draw = (lotId: string) => {
    let card = cards.get(lotId);
    if (!card) {
      // The figures (redrawn on every update), then the panel the seller opened (left alone).
      card = h("li", { class: "card dashboard", "data-lot": lotId }, h("div"), h("div", { class: "panel", id: `panel-${lotId}` }));
      cards.set(lotId, card);
      list.prepend(card);
    }
    const view = views.get(lotId)!;
    const lot = lots.get(lotId);
    card.dataset.status = view.status;
    // After the figures: a presale's harvest, drawn once (its lot may be known only after a later load).
    if (lot?.presale && !card.querySelector(".harvest")) {
      card.firstElementChild!.after(harvestPanel(lot, () => otherGrades(lotId), () => {
        void api.getLot(lotId).then(paintLot).catch(() => undefined);
        askFarmer(lotId);
      }));
    }
    const figures = lotFigures(view, lot, farmers.get(lotId), panels.get(lotId), (panel) => toggle(lotId, panel));
    const old = card.firstElementChild!;
    // Keep focus on the button the seller just pressed when the figures are redrawn.
    const focused = old.contains(document.activeElement) ? [...old.querySelectorAll("button, input")].indexOf(document.activeElement!) : -1;
    old.replaceWith(figures);
    if (focused >= 0) (figures.querySelectorAll("button, input")[focused] as HTMLElement | undefined)?.focus();
  };
  const closePanel = (lotId: string) => {
    panels.delete(lotId);
    cards.get(lotId)?.querySelector(".panel")?.replaceChildren();
  };
  const paint = (view: SellThroughUpdate) => {
    const known = views.get(view.lotId);
    if (known && known.version > view.version) return;
    views.set(view.lotId, view);
    if (view.status === "ended") closePanel(view.lotId);
    draw(view.lotId);
  };
  /** The lot a move of the seller's answered: its terms, and its counts unless the live channel already brought newer ones. */
  const paintLot = (lot: api.Lot) => {
    lots.set(lot.lotId, lot);
    const known = views.get(lot.lotId)!;
    paint(known.version > lot.version ? known : { ...known, name: lot.name, quantity: lot.quantity, sold: lot.sold, reserved: lot.reserved,
      available: lot.available, status: lot.status, version: lot.version });
  };
  /** Focus goes back to the button that opened a panel, or to the desk link once the sale ended and its controls are gone. */
  const refocus = (lotId: string, panel: Panel) => {
    const card = cards.get(lotId)!;
    (card.querySelector<HTMLElement>(`[data-panel="${panel}"]`) ?? card.querySelector("a"))?.focus();
  };
  const toggle = (lotId: string, panel: Panel) => {
    const close = () => { closePanel(lotId); draw(lotId); refocus(lotId, panel); };
    if (panels.get(lotId) === panel) return close();
    const saved = (lot: api.Lot) => { closePanel(lotId); paintLot(lot); refocus(lotId, panel); };
    const opened = panel === "edit" ? editForm(lots.get(lotId)!, saved, close) : endConfirmation(lotId, saved, close);
    panels.set(lotId, panel);
    cards.get(lotId)!.querySelector(".panel")!.replaceChildren(opened);
    draw(lotId);
    (opened.querySelector("input") ?? opened).focus();
  };
  const load = async () => {
    const own = await api.myLots();
    own.forEach((l) => lots.set(l.lotId, l));
    const stats = await Promise.all(own.map((l) => api.lotStats(l.lotId)));
    own.forEach((l, i) => {
      const farmer = stats[i].presale;
      if (farmer) { farmers.set(l.lotId, farmer); farmerVersions.set(l.lotId, Math.max(l.version, farmerVersions.get(l.lotId) ?? -1)); }
    });
    own.forEach((l, i) => paint({ ...stats[i], lotId: l.lotId, name: l.name, quantity: l.quantity, status: l.status, version: l.version, holdsExpiringSoon: stats[i].holdsExpiringSoon ?? views.get(l.lotId)?.holdsExpiringSoon ?? 0 }));
  };
  scope.add(hub.on("sellThrough", (view) => {
    paint(view);
    if (lots.get(view.lotId)?.presale && view.version > (farmerVersions.get(view.lotId) ?? -1)) askFarmer(view.lotId);
  }));
  scope.add(hub.on("resync", () => void load().catch(() => undefined)));
  root.replaceChildren(h("h1", {}, t("sellerTitle")), h("p", { class: "muted" }, t("signedInAs", { name: seller.name })),
    h("p", {}, h("a", { href: "#/seller/money" }, t("moneyLink"))),
    lotForm(() => void load().then(() => hub.watchSeller())), h("h2", {}, t("dashboardTitle")), list);
  try { await load(); } catch (error) { list.replaceChildren(h("p", { class: "error" }, errorText(error))); }
  hub.watchSeller();
}
