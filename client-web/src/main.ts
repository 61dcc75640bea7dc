// The shell: header (navigation, language, connection state) and a router on location.hash.
import "./style.css";
import { tokenFor } from "./api";
import * as account from "./account";
import * as hub from "./hub";
import { language, setLanguage, t, type Key } from "./i18n";
import { h, Scope } from "./dom";
import * as shopper from "./pages/shopper";
import { sellerPage } from "./pages/seller";
import { agentPage } from "./pages/agent";
import { deskPage } from "./pages/desk";
import { moneyPage } from "./pages/money";
import { parcelsPage } from "./pages/parcels";
import { accountPage, operatorPage } from "./pages/account";
import { phonePage } from "./pages/phone";

type Page = (root: HTMLElement, scope: Scope, param: string) => void | Promise<void>;

const routes: [RegExp, Page, "shopper" | "seller" | "agent"][] = [
  [/^#?\/?$/, shopper.saleList, "shopper"],
  [/^#\/lot\/([\w-]+)$/, shopper.lotPage, "shopper"],
  [/^#\/cart$/, shopper.cartPage, "shopper"],
  [/^#\/orders$/, shopper.ordersPage, "shopper"],
  [/^#\/order\/([\w-]+)$/, shopper.orderPage, "shopper"],
  // In the one inlined script with the shopper's pages: a separate file would cost a round trip
  // and import the shared modules a second time.
  [/^#\/seller$/, sellerPage, "seller"],
  [/^#\/seller\/orders\/([\w-]+)$/, deskPage, "seller"],
  [/^#\/seller\/money$/, moneyPage, "seller"],
  [/^#\/agent$/, agentPage, "agent"],
  [/^#\/agent\/parcels$/, parcelsPage, "agent"],
  [/^#\/account$/, accountPage, "shopper"],
  [/^#\/operator$/, operatorPage, "shopper"],
  // The phone simulator, for Development servers (it says so elsewhere).
  [/^#\/phone$/, phonePage, "shopper"],
];

const main = h("main", { id: "main", tabindex: "-1" });
const indicator = h("span", { id: "connection", role: "status", "aria-live": "polite" });
let scope = new Scope();

function header(): HTMLElement {
  const link = (href: string, key: Key) => h("a", { href }, t(key));
  return h("header", {},
    h("div", { class: "bar" },
      h("a", { href: "#/", class: "brand" }, t("appName")),
      indicator,
      h("button", { type: "button", class: "lang", lang: language === "en" ? "zh-CN" : "en", title: t("language"),
        onclick: () => { setLanguage(language === "en" ? "zh-CN" : "en"); renderShell(); } }, t("switchLanguage"))),
    h("nav", {}, link("#/", "navSale"), link("#/cart", "navCart"), link("#/orders", "navOrders"), link("#/seller", "navSeller"), link("#/agent", "navAgent"),
      link("#/account", account.current() ? "navAccount" : "navSignIn"), account.hasRole("operator") && link("#/operator", "navOperator")));
}

function showState(state: hub.ConnectionState) {
  const keys: Record<hub.ConnectionState, Key> = { connecting: "connConnecting", live: "connLive", reconnecting: "connReconnecting", offline: "connOffline" };
  indicator.textContent = t(keys[state]);
  indicator.dataset.state = state;
  indicator.dataset.reconnects = String(hub.reconnectCount());
}
hub.on("state", showState);

async function route() {
  scope.dispose();
  scope = new Scope();
  hub.unwatchAll();
  const hash = location.hash || "#/";
  const [pattern, page, role] = routes.find(([pattern]) => pattern.test(hash)) ?? routes[0];
  const param = pattern.exec(hash)?.[1] ?? "";
  main.replaceChildren(h("p", { class: "muted" }, t("loading")));
  delete document.documentElement.dataset.ready;
  await page(main, scope, param);
  // When the first page became usable, in ms since navigation started: the slow-3G test reads it.
  document.documentElement.dataset.readyAt ??= String(Math.round(performance.now()));
  document.documentElement.dataset.ready = "true";
  // The live channel connects after the page is usable, as the identity this page acts for.
  void tokenFor(role).then((token) => hub.connect(token));
}

function renderShell() {
  document.body.replaceChildren(h("a", { href: "#main", class: "skip" }, t("skip")), header(), main);
  showState(hub.connectionState());
  void route();
}

addEventListener("hashchange", () => { void route().then(() => main.focus({ preventScroll: true })); });
// Signing in or out changes the navigation (the operator's link) and who the live channel is for.
account.onChange(() => { if (document.body.firstChild) document.querySelector("header")?.replaceWith(header()); });
// After a reload only the refresh token is left (the access token lived in memory): trade it first.
void (account.hasStoredSession() ? account.refresh().catch(() => null) : Promise.resolve(null)).finally(renderShell);
