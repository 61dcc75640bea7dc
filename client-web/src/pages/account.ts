// Phone sign-in, the account's applications, and the operator's page.
import * as api from "../api";
import * as account from "../account";
import { dateTime, t, tv } from "../i18n";
import { errorText, field, formData, h, Scope, showFieldErrors } from "../dom";

/** A form whose submit runs `run`, shows the server's field errors beside their fields, and its refusal in `message`. */
function form(children: (Node | string)[], run: (data: Record<string, string>, self: HTMLFormElement) => Promise<void>, attrs: Record<string, unknown> = {}) {
  const message = h("p", { class: "message error", role: "alert" });
  const self: HTMLFormElement = h("form", {
    novalidate: true, ...attrs,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const button = self.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = true;
      message.textContent = "";
      try {
        await run(formData(self), self);
        showFieldErrors(self, {});
      } catch (error) {
        message.textContent = errorText(error);
        showFieldErrors(self, error instanceof api.ApiError ? error.fieldErrors : {});
      } finally {
        if (button) button.disabled = false;
      }
    },
  }, ...children, message);
  return self;
}

function signInForms(done: () => void): HTMLElement {
  const box = h("section", { class: "card", id: "sign-in" });
  const askPhone = () => box.replaceChildren(h("h2", {}, t("signInTitle")), form([
    field("phone", t("phone"), h("input", { type: "tel", autocomplete: "tel", inputmode: "tel", required: true, placeholder: "+8613800138000" })),
    h("button", { type: "submit", class: "primary" }, t("sendCode")),
  ], async (data) => { await account.requestCode(data.phone); await askCode(data.phone); }));
  const askCode = async (phone: string) => {
    // Only a Development server has the sandbox outbox: elsewhere the code arrives by SMS alone.
    const outbox = await account.sandboxOutbox(phone);
    box.replaceChildren(h("h2", {}, t("signInTitle")), h("p", { role: "status" }, t("codeSent", { phone })),
      outbox ? h("p", { class: "muted", id: "sandbox-hint" },
        h("a", { href: `/api/sandbox/sms?phone=${encodeURIComponent(phone)}`, target: "_blank", rel: "noopener" }, t("sandboxOutbox"))) : "",
      form([
        h("input", { type: "hidden", name: "phone", value: phone }),
        field("code", t("code"), h("input", { type: "text", autocomplete: "one-time-code", inputmode: "numeric", maxlength: "6", pattern: "[0-9]{6}", required: true })),
        h("button", { type: "submit", class: "primary" }, t("signIn")),
      ], async (data) => {
        try { await account.signIn(data.phone, data.code); } catch (error) {
          throw error instanceof api.ApiError && error.status === 401 ? new api.ApiError(401, "wrong-code", error.message) : error;
        }
        done();
      }),
      h("button", { type: "button", class: "link", onclick: askPhone }, t("otherNumber")));
    box.querySelector<HTMLInputElement>("input[name=code]")?.focus();
  };
  askPhone();
  return box;
}

function applicationList(applications: account.Application[]): HTMLElement {
  if (applications.length === 0) return h("p", { class: "muted" }, t("noApplications"));
  return h("ul", { class: "cards", id: "applications" }, ...applications.map((a) =>
    h("li", { class: "card", "data-application": a.applicationId, "data-status": a.status },
      h("strong", {}, tv("role_", a.role)), " · ", a.name, " · ", a.village, " ",
      h("span", { class: "badge", "data-status": a.status }, tv("application_", a.status)),
      h("p", { class: "muted" }, dateTime(a.submittedAt)))));
}

export async function accountPage(root: HTMLElement, scope: Scope) {
  const again = () => void accountPage(root, scope);
  const session = account.current();
  if (!session) {
    root.replaceChildren(h("h1", {}, t("accountTitle")), signInForms(again));
    return;
  }
  let applications: account.Application[] = [];
  try { applications = await account.myApplications(); } catch { /* shown as none; the page still works */ }
  const roles = h("p", { id: "roles" }, t("accountRoles", { roles: session.roles.map((r) => tv("role_", r)).join(", ") }));
  const applyForm = form([
    h("h2", {}, t("applyTitle")),
    field("role", t("applyRole"), h("select", {}, h("option", { value: "seller" }, t("role_seller")), h("option", { value: "agent" }, t("role_agent")))),
    field("name", t("applyName"), h("input", { type: "text", required: true, maxlength: "200" })),
    field("village", t("village"), h("input", { type: "text", required: true, maxlength: "200" })),
    h("button", { type: "submit", class: "primary" }, t("apply")),
    h("p", { class: "muted" }, t("newRoleNote")),
  ], async (data, self) => {
    await account.apply(data.role, data.name, data.village);
    self.reset();
    again();
  }, { class: "card", id: "apply" });
  root.replaceChildren(
    h("h1", {}, t("accountTitle")),
    h("p", { class: "muted" }, session.accountId), roles,
    h("button", { type: "button", id: "sign-out", onclick: async () => { await account.signOut(); again(); } }, t("signOut")),
    applyForm,
    h("h2", {}, t("applicationsTitle")), applicationList(applications));
}

// `notice` survives the re-render that follows an action, so its outcome stays on screen.
export async function operatorPage(root: HTMLElement, scope: Scope, notice?: string) {
  const again = (message?: string) => void operatorPage(root, scope, message);
  if (!account.current()) {
    root.replaceChildren(h("h1", {}, t("operatorTitle")), signInForms(again));
    return;
  }
  if (!account.hasRole("operator")) {
    root.replaceChildren(h("h1", {}, t("operatorTitle")), h("p", { role: "alert" }, t("operatorOnly")));
    return;
  }
  const status = h("p", { class: "message", role: "status", "aria-live": "polite" });
  const act = (label: string, run: () => Promise<unknown>, done: string) => h("button", { type: "button", onclick: async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    button.disabled = true;
    try { await run(); again(done); }
    catch (error) { status.className = "message error"; status.textContent = errorText(error); button.disabled = false; }
  } }, label);

  const [pending, lots] = await Promise.all([account.pendingApplications().catch(() => []), api.listLots().catch(() => [])]);
  const pendingList = pending.length === 0 ? h("p", { class: "muted" }, t("noPending")) : h("ul", { class: "cards", id: "pending" }, ...pending.map((a) =>
    h("li", { class: "card", "data-application": a.applicationId },
      h("strong", {}, tv("role_", a.role)), " · ", a.name, " · ", a.village,
      h("p", { class: "muted" }, a.accountId),
      h("div", { class: "actions" },
        act(t("approve"), () => account.decide(a.applicationId, "approve"), t("decided", { status: t("application_approved") })),
        act(t("reject"), () => account.decide(a.applicationId, "reject"), t("decided", { status: t("application_rejected") }))))));
  const suspendForm = form([
    h("h2", {}, t("suspendTitle")),
    field("accountId", t("accountId"), h("input", { type: "text", required: true, autocomplete: "off", spellcheck: false })),
    h("button", { type: "submit" }, t("suspend")),
  ], async (data, self) => { await account.suspend(data.accountId); self.reset(); status.className = "message"; status.textContent = t("suspended"); }, { class: "card", id: "suspend" });
  const lotList = h("ul", { class: "cards", id: "take-down" }, ...lots.map((lot) =>
    h("li", { class: "card", "data-lot": lot.lotId }, h("strong", {}, lot.name), " · ", tv("status_", lot.status),
      h("div", { class: "actions" }, act(t("takeDown"), () => account.takeDown(lot.lotId), t("takenDown"))))));
  root.replaceChildren(h("h1", {}, t("operatorTitle")), status,
    h("h2", {}, t("pendingTitle")), pendingList, suspendForm, h("h2", {}, t("takeDownTitle")), lotList);
  if (notice) status.textContent = notice; // after insertion, so a screen reader announces it
}
