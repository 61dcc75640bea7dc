// The village agent's page: villagers, ordering for one of them, and the cash to collect.
import * as api from "../api";
import { money, t, tv } from "../i18n";
import { errorText, field, formData, h, Scope, showFieldErrors } from "../dom";
import { signUpForm } from "./seller";

export async function agentPage(root: HTMLElement, scope: Scope) {
  if (!api.identity("agent")) {
    root.replaceChildren(h("h1", {}, t("agentTitle")), signUpForm("agent", t("signUpAgent"), () => void agentPage(root, scope)));
    return;
  }
  let villagers: api.Villager[], lots: api.Lot[];
  try {
    [villagers, lots] = await Promise.all([api.listVillagers(), api.listLots()]);
  } catch (error) {
    root.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)));
    return;
  }
  const reload = () => void agentPage(root, scope);

  const registerMessage = h("p", { class: "message error", role: "alert" });
  const register = h("form", {
    class: "card", novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      try { await api.registerVillager(formData(register).name); reload(); } catch (error) {
        registerMessage.textContent = errorText(error);
        showFieldErrors(register, error instanceof api.ApiError ? error.fieldErrors : {});
      }
    },
  }, h("h2", {}, t("registerVillager")), field("name", t("villagerName"), h("input", { type: "text", required: true })),
    h("button", { type: "submit" }, t("registerVillager")), registerMessage);

  const options = (items: [string, string][]) => items.map(([value, label]) => h("option", { value }, label));
  const orderMessage = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const liveLots = lots.filter((l) => l.status === "live");
  const order = h("form", {
    class: "card",
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = formData(order);
      const villager = villagers.find((v) => v.shopperId === data.villager)!;
      try {
        await api.holdForVillager(villager.shopperId, data.lot, Number(data.quantity));
        await api.checkout(`/api/agent/villagers/${villager.shopperId}/checkout`, data.method, "agent");
        orderMessage.className = "message";
        orderMessage.textContent = t("orderPlaced", { name: villager.name });
        await collectList();
      } catch (error) {
        orderMessage.className = "message error";
        orderMessage.textContent = errorText(error);
      }
    },
  }, h("h2", {}, t("orderFor")),
    field("villager", t("villager"), h("select", { required: true }, ...options(villagers.map((v) => [v.shopperId, v.name])))),
    field("lot", t("lot"), h("select", { required: true }, ...options(liveLots.map((l) => [l.lotId, `${l.name} · ${money(l.priceMinor, l.currency)} / ${l.unit}`])))),
    field("quantity", t("quantity"), h("input", { type: "number", min: "1", value: "1", required: true, inputmode: "numeric" })),
    field("method", t("paymentMethod"), h("select", {}, ...options([["village-agent", tv("method_", "village-agent")], ["cash-on-delivery", tv("method_", "cash-on-delivery")]]))),
    h("button", { type: "submit", class: "primary", disabled: !villagers.length || !liveLots.length }, t("placeOrder")), orderMessage);

  const collect = h("ul", { class: "cards", id: "to-collect" });
  const collectList = async () => {
    const orders = (await Promise.all(villagers.map(async (v) => (await api.villagerOrders(v.shopperId)).map((o) => ({ o, v }))))).flat()
      .filter(({ o }) => (o.status === "awaiting-payment" && o.payment.method === "village-agent") || o.status === "confirmed-cod");
    collect.replaceChildren(...(orders.length ? orders.map(({ o, v }) => h("li", { class: "card", "data-order": o.orderId },
      h("p", {}, h("strong", {}, v.name), " · ", money(o.totalMinor, o.currency), " · ", tv("order_", o.status)),
      h("button", { type: "button", class: "primary", onclick: async (e: Event) => {
        (e.currentTarget as HTMLButtonElement).disabled = true;
        try { await api.markCollected(o.orderId); await collectList(); } catch (error) { collect.prepend(h("li", { class: "error", role: "alert" }, errorText(error))); }
      } }, t("markCollected")))) : [h("li", { class: "muted" }, t("nothingToCollect"))]));
  };

  root.replaceChildren(h("h1", {}, t("agentTitle")), h("p", { class: "muted" }, t("signedInAs", { name: api.identity("agent")!.name })),
    register, h("h2", {}, t("villagers")),
    villagers.length ? h("ul", { class: "plain" }, ...villagers.map((v) => h("li", {}, v.name))) : h("p", {}, t("noVillagers")),
    order, h("h2", {}, t("toCollect")), collect);
  await collectList().catch((error) => collect.replaceChildren(h("li", { class: "error" }, errorText(error))));
  void scope;
}
