// The seller's money: the ledger per currency, a day's statement (on screen or as CSV), and the
// cash agents say they handed over, which the seller confirms on receipt.
import * as api from "../api";
import { dateTime, money, t, tv, type Key } from "../i18n";
import { errorText, field, h, Scope } from "../dom";
import { failure } from "./shopper";

/** A balance's figures; "still owed" is what gateways and agents have yet to pass on. */
function balanceView(b: api.Balance): HTMLElement {
  const stat = (key: Key, minor: number) => h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(key)), h("dd", {}, money(minor, b.currency)));
  return h("dl", { class: "stats ledger", "data-currency": b.currency },
    stat("led_paid", b.paidMinor), stat("led_refunded", b.refundedMinor), stat("led_gateway", b.gatewayMinor),
    stat("led_heldByAgents", b.heldByAgentsMinor), stat("led_heldBySeller", b.heldBySellerMinor), stat("led_remitted", b.remittedMinor),
    stat("led_owed", b.gatewayMinor + b.heldByAgentsMinor));
}

export async function moneyPage(root: HTMLElement, scope: Scope) {
  if (!api.identity("seller")) return void root.replaceChildren(h("p", {}, h("a", { href: "#/seller" }, t("signUpSeller"))));
  let points: api.PickupPoint[];
  try { points = await api.pickupPoints(""); } catch (error) { return failure(root, error, () => void moneyPage(root, scope)); }
  // Agents are known to the seller by their service point.
  const agentName = (agentId: string) => {
    const point = points.find((p) => p.agentId === agentId);
    return point ? `${point.name} (${point.village})` : agentId;
  };
  const ledger = h("div", { id: "ledger" });
  const remittanceList = h("ul", { class: "cards", id: "remittances" });
  const loadLedger = async () => {
    const { balances } = await api.ledger();
    ledger.replaceChildren(...(balances.length ? balances.map((b) => h("section", { class: "card" }, h("h3", {}, b.currency), balanceView(b))) : [h("p", { class: "muted" }, t("noLedger"))]));
  };
  const loadRemittances = async () => {
    const remittances = (await api.remittances()).reverse();
    remittanceList.replaceChildren(...(remittances.length ? remittances.map((r) => {
      const message = h("p", { class: "message error", role: "alert" });
      return h("li", { class: "card", "data-remittance": r.remittanceId, "data-status": r.status },
        h("p", {}, h("strong", {}, money(r.amountMinor, r.currency)), " · ", t("fromAgent", { name: agentName(r.agentId) })),
        h("p", { class: "muted" }, dateTime(r.createdAt), " ", h("span", { class: "badge", "data-status": r.status }, tv("remittance_", r.status))),
        r.status === "pending" ? h("button", { type: "button", class: "primary", onclick: async (e: Event) => {
          (e.currentTarget as HTMLButtonElement).disabled = true;
          try { await api.confirmRemittance(r.remittanceId); await Promise.all([loadLedger(), loadRemittances()]); } catch (error) { message.textContent = errorText(error); }
        } }, t("confirmReceived")) : null,
        message);
    }) : [h("li", { class: "muted" }, t("noRemittances"))]));
  };

  const day = h("input", { type: "date", required: true, value: new Date().toISOString().slice(0, 10) });
  const entries = h("div", { id: "statement" });
  const statementMessage = h("p", { class: "message error", role: "alert" });
  const showStatement = async () => {
    statementMessage.textContent = "";
    try {
      const statement = await api.statement(day.value);
      entries.replaceChildren(
        statement.entries.length
          ? h("ul", { class: "plain entries" }, ...statement.entries.map((e) => h("li", { "data-kind": e.kind },
            // A refund takes money back: shown with a minus, as on a bank statement.
            h("span", {}, tv("entry_", e.kind)), h("strong", {}, money(e.kind.startsWith("refund-") ? -e.amountMinor : e.amountMinor, e.currency)),
            h("small", { class: "muted" }, dateTime(e.at)))))
          : h("p", { class: "muted" }, t("noEntries")),
        ...statement.closingBalances.map((b) => h("section", { class: "closing" }, h("h3", {}, `${t("closing")} · ${b.currency}`), balanceView(b))));
    } catch (error) {
      statementMessage.textContent = errorText(error);
    }
  };
  const statementForm = h("form", { class: "card", id: "statement-form", onsubmit: (event: Event) => { event.preventDefault(); void showStatement(); } },
    h("h2", {}, t("statementTitle")), field("date", t("statementDate"), day),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("show")),
      h("button", { type: "button", onclick: () => void api.downloadCsv(`/api/sellers/me/statements/${day.value}`, "seller", `statement-${day.value}.csv`)
        .catch((error) => { statementMessage.textContent = errorText(error); }) }, t("statementCsv"))),
    statementMessage, entries);

  root.replaceChildren(
    h("p", {}, h("a", { href: "#/seller" }, t("dashboardTitle"))),
    h("h1", {}, t("moneyTitle")),
    h("h2", {}, t("ledgerTitle")), ledger,
    h("h2", {}, t("remittancesTitle")), remittanceList,
    statementForm);
  await Promise.all([loadLedger(), loadRemittances(), showStatement()]).catch((error) => ledger.replaceChildren(h("p", { class: "error" }, errorText(error))));
}
