// The phone simulator (Development servers only): a basic phone played against the sandbox
// gateway, which signs and forwards each step or text exactly as the real gateway would. The page
// keeps what a gateway keeps for a handset, the session id and every input so far joined by "*",
// and shows the number's SMS inbox, read from the sandbox outbox while the tab is visible.
import * as api from "../api";
import { sandboxOutbox } from "../account";
import { dateTime, language, t } from "../i18n";
import { errorText, field, h, Scope, showFieldErrors } from "../dom";

const serviceCode = "*384*12#";
const numberKey = "flashsale.phone.number";
/** The outbox is a development route read by a person: every few seconds is plenty, and only while the tab is seen. */
const inboxPollMs = 4000;

export async function phonePage(root: HTMLElement, scope: Scope) {
  const stored = sessionStorage.getItem(numberKey) ?? `+86138${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  // Only a Development server maps the sandbox gateway; elsewhere its routes answer 404.
  if (!(await sandboxOutbox(stored))) {
    root.replaceChildren(h("h1", {}, t("phoneTitle")), h("p", { class: "error", role: "alert", id: "phone-dev-only" }, t("phoneDevOnly")));
    return;
  }

  let sessionId = "";
  let inputs: string[] = [];
  let ended = true;

  const number = h("input", { type: "tel", autocomplete: "tel", required: true, maxlength: "20", value: stored });
  const numberMessage = h("p", { class: "message error", role: "alert" });
  const dialForm = h("form", { id: "dial", novalidate: true, onsubmit: (event: Event) => { event.preventDefault(); void dial(); } },
    field("phoneNumber", t("phoneNumber"), number),
    h("button", { type: "submit", class: "primary" }, t("dial", { code: serviceCode })), numberMessage);

  const screen = h("p", { id: "phone-screen", class: "screen", role: "status", "aria-live": "polite", "data-state": "idle" }, t("screenIdle"));
  const choice = h("input", { type: "text", inputmode: "numeric", autocomplete: "off", maxlength: "182", disabled: true });
  const send = h("button", { type: "submit", class: "primary", disabled: true }, t("sendChoice"));
  const stepMessage = h("p", { class: "message error", role: "alert" });
  const type = (key: string) => { if (!choice.disabled) { choice.value = key ? choice.value + key : choice.value.slice(0, -1); choice.focus(); } };
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0"].map((key) => h("button", { type: "button", class: "key", onclick: () => type(key) }, key));
  keys.push(h("button", { type: "button", class: "key", "aria-label": t("deleteDigit"), onclick: () => type("") }, "⌫"));
  const keypad = h("div", { class: "keypad", role: "group", "aria-label": t("keypad") }, ...keys);
  const stepForm = h("form", { id: "ussd", novalidate: true, onsubmit: (event: Event) => { event.preventDefault(); void press(); } },
    field("text", t("yourChoice"), choice, "f-choice"), send, stepMessage);

  // Changing the number is another handset: the session on screen was the old number's.
  number.addEventListener("input", () => { if (!ended) show("END " + t("screenIdle")); });

  function show(body: string) {
    ended = !body.startsWith("CON ");
    screen.dataset.state = ended ? "end" : "con";
    screen.textContent = body.replace(/^(CON|END) /, "");
    choice.disabled = send.disabled = ended;
    for (const key of keys) key.disabled = ended;
    stepMessage.textContent = ended ? t("sessionEnded") : "";
    stepMessage.classList.toggle("error", !ended);
  }

  /** One step of the session: every input so far, joined by "*", as a gateway sends it. */
  async function step(text: string): Promise<boolean> {
    const phone = number.value.trim();
    showFieldErrors(dialForm, {});
    showFieldErrors(stepForm, {});
    numberMessage.textContent = stepMessage.textContent = "";
    try {
      show(await api.sandboxUssd(sessionId, phone, text));
      sessionStorage.setItem(numberKey, phone);
      watch(phone);
      return true;
    } catch (error) {
      const fields = error instanceof api.ApiError ? error.fieldErrors : {};
      if (showFieldErrors(dialForm, { phoneNumber: fields.phoneNumber ?? [] })) numberMessage.textContent = errorText(error);
      else { showFieldErrors(stepForm, { text: fields.text ?? [] }); stepMessage.classList.add("error"); stepMessage.textContent = errorText(error); }
      return false;
    }
  }

  async function dial() {
    sessionId = `sim-${api.newKey()}`;
    inputs = [];
    if (await step("")) choice.focus();
  }

  async function press() {
    const input = choice.value.trim();
    if (ended || !input) return;
    inputs.push(input);
    send.disabled = true;
    if (await step(inputs.join("*"))) choice.value = "";
    else { inputs.pop(); send.disabled = ended; }
    if (!ended) choice.focus();
  }

  // The inbox: messages the sandbox texted to the number, newest first. Only the new ones are
  // added, so a screen reader announces an arriving text and not the whole list again.
  const inbox = h("ol", { id: "sms-inbox", class: "plain inbox", "aria-live": "polite", "aria-relevant": "additions" });
  const empty = h("p", { class: "muted" }, t("noSms"));
  let watched = "";
  let shownCount = 0;
  function watch(phone: string) {
    if (phone !== watched) {
      watched = phone;
      shownCount = 0;
      inbox.replaceChildren();
    }
    void loadInbox();
  }
  async function loadInbox() {
    if (!watched || document.hidden) return;
    const phone = watched;
    const messages = await sandboxOutbox(phone);
    if (!messages || phone !== watched || messages.length <= shownCount) return;
    inbox.prepend(...messages.slice(shownCount).reverse().map((m) =>
      h("li", { class: "sms" }, h("time", { datetime: m.sentAt }, dateTime(m.sentAt)), h("p", {}, m.text))));
    shownCount = messages.length;
    empty.hidden = true;
  }
  scope.every(inboxPollMs, () => void loadInbox());

  // The composer: a text to the service, answered by SMS (and, from the sandbox, at once).
  const smsText = h("input", { type: "text", autocomplete: "off", maxlength: "480", required: true });
  const reply = h("p", { class: "message", id: "sms-reply", role: "status" });
  const commands = language === "zh-CN" ? ["买 ", "状态", "取消 "] : ["BUY ", "STATUS", "CANCEL "];
  const composer = h("form", {
    id: "sms", class: "card", novalidate: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const phone = number.value.trim();
      reply.textContent = "";
      reply.classList.remove("error");
      showFieldErrors(composer, {});
      showFieldErrors(dialForm, {});
      try {
        // An empty answer means the engine texted nothing back (a number over its SMS budget
        // hears at most one reply a minute); the answer carries no reason, so none is claimed.
        const text = await api.sandboxSms(phone, smsText.value.trim());
        reply.textContent = text.trim() ? t("smsReply", { text }) : t("smsNoReply");
        sessionStorage.setItem(numberKey, phone);
        smsText.value = "";
        watch(phone);
      } catch (error) {
        const fields = error instanceof api.ApiError ? error.fieldErrors : {};
        showFieldErrors(dialForm, { phoneNumber: fields.from ?? [] });
        showFieldErrors(composer, { text: fields.text ?? [] });
        reply.classList.add("error");
        reply.textContent = errorText(error);
      }
    },
  }, h("h2", {}, t("smsCompose")),
    h("div", { class: "actions" }, ...commands.map((command) => h("button", { type: "button", onclick: () => { smsText.value = command; smsText.focus(); } }, command.trim()))),
    field("text", t("smsText"), smsText, "f-sms"), h("button", { type: "submit" }, t("smsSend")), reply);

  root.replaceChildren(
    h("h1", {}, t("phoneTitle")), h("p", { class: "muted" }, t("phoneIntro")),
    h("div", { class: "handset" }, dialForm,
      h("section", { class: "card", "aria-labelledby": "screen-title" }, h("h2", { id: "screen-title" }, t("phoneScreen")), screen, stepForm, keypad)),
    composer,
    h("section", { class: "card", "aria-labelledby": "inbox-title" },
      h("div", { class: "actions" }, h("h2", { id: "inbox-title" }, t("smsInbox")),
        h("button", { type: "button", onclick: () => watch(number.value.trim()) }, t("refreshInbox"))),
      empty, inbox));
  watch(stored);
}
