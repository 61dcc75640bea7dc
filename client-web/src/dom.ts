// A few DOM helpers, so the pages read as the markup they make.
import { ApiError } from "./api";
import { t, tv } from "./i18n";

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value as EventListener);
    else if (name in element && typeof value !== "string") (element as unknown as Props)[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === "number" ? String(c) : c)));
  return element;
}

/**
 * A labelled form field whose error message sits beside it, tied to it for screen readers. A
 * field repeated on the page (one per listed order) passes an id of its own.
 */
export function field(name: string, label: string, input: HTMLInputElement | HTMLSelectElement, id = `f-${name}`): HTMLElement {
  input.id = id;
  input.name = name;
  const error = h("p", { class: "field-error", id: `${id}-error`, "data-error-for": name });
  input.setAttribute("aria-describedby", error.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, error);
}

/** Shows the server's per-field messages beside their fields; returns whether any field had one. */
export function showFieldErrors(form: HTMLFormElement, errors: Record<string, string[]>): boolean {
  let any = false;
  for (const error of form.querySelectorAll<HTMLElement>("[data-error-for]")) {
    const messages = errors[error.dataset.errorFor!] ?? [];
    error.textContent = messages.join(" ");
    form.querySelector(`[name="${error.dataset.errorFor}"]`)?.setAttribute("aria-invalid", String(messages.length > 0));
    any ||= messages.length > 0;
  }
  return any;
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? tv("error_", error.code) : t("error_other", { code: String(error) });
}

/** A refusal in the server's own words (its detail, in the reader's language) when it gave some, else the client's text for the code. */
export function problemText(error: unknown): string {
  return error instanceof ApiError && error.status > 0 && error.message ? error.message : errorText(error);
}

/** Things a page started (timers, subscriptions) that end when the page is left. */
export class Scope {
  private readonly disposers: (() => void)[] = [];
  add(dispose: () => void) { this.disposers.push(dispose); }
  every(ms: number, tick: () => void) { tick(); const id = setInterval(tick, ms); this.add(() => clearInterval(id)); }
  dispose() { this.disposers.splice(0).forEach((d) => d()); }
}

export function formData(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
}
