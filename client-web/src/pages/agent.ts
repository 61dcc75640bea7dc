// The village agent's page: register villagers, then for the chosen villager the cart (holds with
// their countdowns), holding a lot (through its waiting room when it has one), checkout and the
// villager's orders with live status; the live stock of the lots offered; the cash to collect.
import * as api from "../api";
import type { Lot } from "../api";
import * as hub from "../hub";
import { duration, money, t, tv } from "../i18n";
import { errorText, field, formData, h, Scope, showFieldErrors } from "../dom";
import { signUpForm } from "./seller";
import { freshLots, stockView } from "./shopper";
import { queueView, type QueueHandle } from "./queue";

const chosenKey = "flashsale.agent.villager";

export async function agentPage(root: HTMLElement, scope: Scope) {
  const agent = api.identity("agent");
  if (!agent) {
    root.replaceChildren(h("h1", {}, t("agentTitle")), signUpForm("agent", t("signUpAgent"), () => void agentPage(root, scope)));
    return;
  }
  void hub.connect(agent.token);
  let villagers: api.Villager[], lots: Lot[];
  try {
    [villagers, lots] = await Promise.all([api.listVillagers(), api.listLots()]);
  } catch (error) {
    root.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)), h("button", { type: "button", onclick: () => void agentPage(root, scope) }, t("retry")));
    return;
  }
  // A page redraw (after registering a villager) replaces this render's listeners.
  const page = new Scope();
  scope.add(() => page.dispose());
  const reload = () => { page.dispose(); void agentPage(root, scope); };
  const offered = lots.filter((l) => l.status !== "ended");
  const lotById = new Map(lots.map((l) => [l.lotId, l]));
  const statuses = new Map(lots.map((l) => [l.lotId, l.status as string]));
  page.add(hub.on("stock", (update) => statuses.set(update.lotId, update.status)));
  hub.watchVillagers();

  const registerMessage = h("p", { class: "message error", role: "alert" });
  const register = h("form", {
    class: "card", novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      try {
        const villager = await api.registerVillager(formData(register).name);
        sessionStorage.setItem(chosenKey, villager.shopperId);
        reload();
      } catch (error) {
        registerMessage.textContent = errorText(error);
        showFieldErrors(register, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    },
  }, h("h2", {}, t("registerVillager")), field("name", t("villagerName"), h("input", { type: "text", required: true, maxlength: "200" })),
    h("button", { type: "submit" }, t("registerVillager")), registerMessage);

  const stored = sessionStorage.getItem(chosenKey);
  let chosen: api.Villager | undefined = villagers.find((v) => v.shopperId === stored) ?? villagers[0];
  const panel = h("div", { id: "villager" });
  let panelScope = new Scope();
  page.add(() => panelScope.dispose());
  const choose = (villager: api.Villager | undefined) => {
    panelScope.dispose();
    panelScope = new Scope();
    chosen = villager;
    if (villager) sessionStorage.setItem(chosenKey, villager.shopperId);
    panel.replaceChildren(...(villager ? villagerPanel(villager, panelScope) : []));
  };
  const picker = h("select", { onchange: () => choose(villagers.find((v) => v.shopperId === picker.value)) },
    ...villagers.map((v) => h("option", { value: v.shopperId, selected: v === chosen }, v.name)));

  /** The chosen villager's cart, hold form, checkout and orders. */
  function villagerPanel(villager: api.Villager, own: Scope): Node[] {
    const cartList = h("ul", { class: "cards", id: "villager-cart" });
    const total = h("p", { class: "total" });
    const orderList = h("ul", { class: "cards", id: "villager-orders" });
    let cartLines = new Scope();
    own.add(() => cartLines.dispose());

    // A presale's deposit is never paid on delivery (the API answers 400): its cart offers cash to the agent only.
    const methodOptions = new Map<string, HTMLInputElement>();
    const showCart = (cart: api.Cart) => {
      const presale = cart.items.some((item) => lotById.get(item.lotId)?.kind === "presale");
      const cod = methodOptions.get("cash-on-delivery");
      if (cod) {
        (cod.parentElement as HTMLElement).hidden = presale;
        cod.disabled = presale;
        if (presale && cod.checked) methodOptions.get("village-agent")!.checked = true;
      }
      cartLines.dispose();
      cartLines = new Scope();
      const lines = cart.items.map((item) => {
        const lot = lotById.get(item.lotId);
        const countdown = h("span", { class: "countdown" });
        const expiresAt = Date.parse(item.expiresAt);
        cartLines.every(1000, () => {
          const left = expiresAt - Date.now();
          countdown.textContent = left > 0 ? t("holdEndsIn", { time: duration(left) }) : t("holdExpired");
        });
        return h("li", { class: "card cart-line", "data-lot": item.lotId },
          h("h3", {}, lot?.name ?? item.lotId),
          h("p", {}, `${item.quantity} × ${money(item.priceMinor, cart.currency ?? lot?.currency ?? "CNY")}${lot ? ` / ${lot.unit}` : ""}`),
          countdown, " ",
          h("button", { type: "button", class: "link", "aria-label": `${t("remove")}: ${lot?.name ?? item.lotId}`, onclick: async () => {
            try { showCart(await api.removeForVillager(villager.shopperId, item.lotId)); } catch (error) { checkoutMessage.textContent = errorText(error); }
          } }, t("remove")));
      });
      cartList.replaceChildren(...(lines.length ? lines : [h("li", { class: "muted" }, t("cartEmpty"))]));
      total.replaceChildren(...(cart.items.length && cart.currency ? [`${t("total")}: `, h("strong", {}, money(cart.totalMinor, cart.currency))] : []));
      placeOrder.disabled = !cart.items.length;
    };
    const loadCart = async () => showCart(await api.villagerCart(villager.shopperId));

    const showOrders = (orders: api.Order[]) => {
      orderList.replaceChildren(...(orders.length ? orders.slice().reverse().map((o) => h("li", { class: "card", "data-order": o.orderId, "data-status": o.status },
        h("p", {}, money(o.totalMinor, o.currency), " · ", tv("method_", o.payment.method), " · ", h("strong", { class: "order-status" }, tv("order_", o.status))),
        o.status === "awaiting-payment" ? h("button", { type: "button", onclick: async (e: Event) => {
          (e.currentTarget as HTMLButtonElement).disabled = true;
          try { await api.agentCancelOrder(o.orderId); await Promise.all([loadOrders(), collectList()]); } catch (error) { checkoutMessage.textContent = errorText(error); }
        } }, t("cancelOrder")) : null))
        : [h("li", { class: "muted" }, t("noOrders"))]));
    };
    const loadOrders = async () => showOrders(await api.villagerOrders(villager.shopperId));

    // Holding a lot, through its waiting room when it has one.
    const lotPicker = h("select", { required: true }, ...offered.map((l) => h("option", { value: l.lotId },
      `${l.name} · ${money(l.priceMinor, l.currency)} / ${l.unit}`)));
    const quantity = h("input", { type: "number", min: "1", value: "1", required: true, inputmode: "numeric" });
    const hold = h("button", { type: "submit", class: "primary", "aria-describedby": "hold-reason" }, t("hold"));
    const reason = h("p", { class: "muted reason", id: "hold-reason" });
    const holdMessage = h("p", { class: "message", role: "status", "aria-live": "polite" });
    const roomSlot = h("div", { class: "room-slot" });
    let room: QueueHandle | null = null;
    let lotScope = new Scope();
    own.add(() => lotScope.dispose());
    let busy = false;
    const setHoldable = () => {
      const status = statuses.get(lotPicker.value);
      const why = !status ? "noLotsOffered" : status !== "live" ? "error_sale-not-live" : room?.reason() ?? null;
      hold.disabled = busy || why !== null;
      reason.textContent = why ? t(why) : "";
    };
    own.add(hub.on("stock", (update) => { if (update.lotId === lotPicker.value) setHoldable(); }));
    const pickLot = async () => {
      lotScope.dispose();
      lotScope = new Scope();
      const mine = lotScope;
      room = null;
      roomSlot.replaceChildren();
      const lot = lotById.get(lotPicker.value);
      if (lot?.waitingRoom) {
        let ticket: api.QueueTicket | null = null;
        try { ticket = await api.villagerTicket(villager.shopperId, lot.lotId); } catch (error) { holdMessage.textContent = errorText(error); }
        if (mine !== lotScope) return;
        room = queueView(lot, mine, {
          get: () => api.villagerTicket(villager.shopperId, lot.lotId),
          join: () => api.joinQueueForVillager(villager.shopperId, lot.lotId),
          watch: () => hub.watchVillagerQueue(villager.shopperId, lot.lotId),
          shopperId: villager.shopperId,
        }, ticket, () => setHoldable());
        roomSlot.replaceChildren(room.element);
      }
      setHoldable();
    };
    lotPicker.addEventListener("change", () => void pickLot());

    const holdForm = h("form", {
      class: "card", id: "hold-form",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        busy = true;
        setHoldable();
        holdMessage.className = "message";
        try {
          showCart(await api.holdForVillager(villager.shopperId, lotPicker.value, Number(quantity.value)));
          holdMessage.textContent = t("heldFor", { name: villager.name });
        } catch (error) {
          holdMessage.className = "message error";
          holdMessage.textContent = errorText(error);
        } finally {
          busy = false;
          setHoldable();
        }
      },
    }, h("h3", {}, t("holdFor", { name: villager.name })),
      field("lot", t("lot"), lotPicker), roomSlot,
      field("quantity", t("quantity"), quantity), hold, reason, holdMessage);

    const checkoutMessage = h("p", { class: "message", role: "status", "aria-live": "polite" });
    const placeOrder = h("button", { type: "submit", class: "primary", disabled: true }, t("checkout"));
    const checkoutForm = h("form", {
      id: "villager-checkout",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const method = String(new FormData(checkoutForm).get("paymentMethod") ?? "village-agent");
        placeOrder.disabled = true;
        checkoutMessage.className = "message";
        try {
          await api.checkout(`/api/agent/villagers/${villager.shopperId}/checkout`, method, "agent");
          checkoutMessage.textContent = t("orderPlaced", { name: villager.name });
          await Promise.all([loadCart(), loadOrders(), collectList()]);
        } catch (error) {
          checkoutMessage.className = "message error";
          checkoutMessage.textContent = errorText(error);
          placeOrder.disabled = false;
        }
      },
    }, h("fieldset", { class: "methods" }, h("legend", {}, t("paymentMethod")),
      ...["village-agent", "cash-on-delivery"].map((m, index) => h("label", { class: "method" },
        remember(methodOptions, m, h("input", { type: "radio", name: "paymentMethod", value: m, checked: index === 0 })),
        h("span", {}, h("strong", {}, tv("method_", m)), h("small", {}, tv("howto_", m)))))),
    placeOrder, checkoutMessage);

    own.add(hub.on("order", (update) => { if (!update.shopperId || update.shopperId === villager.shopperId) void loadOrders().catch(() => undefined); }));
    own.add(hub.on("resync", () => void Promise.all([loadCart(), loadOrders()]).catch(() => undefined)));
    void loadCart().catch((error) => cartList.replaceChildren(h("li", { class: "error" }, errorText(error))));
    void loadOrders().catch((error) => orderList.replaceChildren(h("li", { class: "error" }, errorText(error))));
    void pickLot();
    return [
      holdForm,
      h("section", { class: "villager", "aria-labelledby": "villager-cart-title" },
        h("h2", { id: "villager-cart-title" }, t("villagerCart", { name: villager.name })), cartList, total, checkoutForm),
      h("section", { "aria-labelledby": "villager-orders-title" },
        h("h2", { id: "villager-orders-title" }, t("villagerOrders", { name: villager.name })), orderList),
    ];
  }

  const collect = h("ul", { class: "cards", id: "to-collect" });
  const collectList = async () => {
    const orders = (await Promise.all(villagers.map(async (v) => (await api.villagerOrders(v.shopperId)).map((o) => ({ o, v }))))).flat()
      .filter(({ o }) => (o.status === "awaiting-payment" && o.payment.method === "village-agent") || o.status === "confirmed-cod");
    collect.replaceChildren(...(orders.length ? orders.map(({ o, v }) => h("li", { class: "card", "data-order": o.orderId, "data-status": o.status },
      h("p", {}, h("strong", {}, v.name), " · ", money(o.totalMinor, o.currency), " · ", tv("order_", o.status)),
      h("button", { type: "button", class: "primary", onclick: async (e: Event) => {
        (e.currentTarget as HTMLButtonElement).disabled = true;
        try { await api.markCollected(o.orderId); await collectList(); } catch (error) { collect.prepend(h("li", { class: "error", role: "alert" }, errorText(error))); }
      } }, t("markCollected")))) : [h("li", { class: "muted" }, t("nothingToCollect"))]));
  };
  page.add(hub.on("order", () => void collectList().catch(() => undefined)));
  page.add(hub.on("resync", () => {
    void collectList().catch(() => undefined);
    void api.listLots().then((fresh) => { fresh.forEach((l) => statuses.set(l.lotId, l.status)); freshLots(fresh); }, () => undefined);
  }));

  const offeredList = offered.length
    ? h("ul", { class: "cards", id: "offered" }, ...offered.map((l) => h("li", { class: "card" },
      h("h3", {}, l.name, l.waitingRoom ? h("span", { class: "badge queue-marker" }, t("queueMarker")) : null),
      h("p", { class: "price" }, t("unitPrice", { price: money(l.priceMinor, l.currency), unit: l.unit })),
      stockView(l, page))))
    : h("p", {}, t("noLots"));

  root.replaceChildren(h("h1", {}, t("agentTitle")), h("p", { class: "muted" }, t("signedInAs", { name: agent.name })),
    h("p", {}, h("a", { href: "#/agent/parcels" }, t("parcelsLink"))),
    register,
    h("h2", {}, t("villagers")),
    villagers.length ? field("villager", t("chooseVillager"), picker) : h("p", {}, t("noVillagers")),
    panel,
    h("h2", {}, t("toCollect")), collect,
    h("h2", {}, t("lotsOffered")), offeredList);
  choose(chosen);
  await collectList().catch((error) => collect.replaceChildren(h("li", { class: "error" }, errorText(error))));
}

/** Keeps the input under its key and hands it on, so an input built inside a list stays reachable. */
function remember(into: Map<string, HTMLInputElement>, key: string, input: HTMLInputElement): HTMLInputElement {
  into.set(key, input);
  return input;
}
