/**
 * Small DOM helpers for the pane: element creation and the Fluent controls it uses. Each control
 * carries its accessible name, state and error on the element that really takes focus (Fluent
 * puts it inside: a button in the dropdown's light DOM, an input in the text field's shadow
 * root), so every control made here is named and described alike. No state lives here.
 */

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | EventListener;

/** Creates an element: `on…` attributes become listeners, `false`/null attributes are left out. */
export function h(tag: string, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

let counter = 0;
/** A unique element id. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** The value of a Fluent input or dropdown. */
export function valueOf(el: Element | null): string {
  return el && 'value' in el ? String((el as HTMLInputElement).value ?? '') : '';
}

export interface TextFieldOptions {
  label: string;
  value: string;
  /** Identifies the field: rule paths, test selectors. */
  name: string;
  onInput: (value: string) => void;
  inputMode?: 'decimal' | 'text';
  size?: number;
}

/** A labelled Fluent text input with a slot for its error message below it. */
export function textField(o: TextFieldOptions): HTMLElement {
  const errorId = uid('err');
  const input = h(
    'fluent-text-input',
    {
      value: o.value,
      name: o.name,
      'data-field': o.name,
      inputmode: o.inputMode ?? 'text',
      size: o.size,
      oninput: (e: Event) => o.onInput(valueOf(e.target as Element)),
    },
    o.label,
  );
  // Not a live region: the pane's one status region says what changed (app.ts).
  return h('div', { class: 'field', 'data-field-wrap': o.name }, input, h('div', { class: 'field-error', id: errorId, 'data-error-for': o.name }));
}

/** The element that takes focus inside a Fluent control (its `control`), or the element itself. */
export function innerControl(el: Element): HTMLElement | null {
  const control = (el as HTMLElement & { control?: unknown }).control;
  return control instanceof HTMLElement ? control : el instanceof HTMLElement ? el : null;
}

type Described = HTMLElement & { ariaDescribedByElements?: Element[] | null };

/**
 * Shows (or clears, with '') a field's error under it and ties it to the real input: the text
 * input's `<input>` lives in a shadow root, where an id reference to the error cannot reach, so
 * the description goes by element reference (ARIA reflection), with `aria-description` where the
 * browser has no reflection.
 */
export function setFieldError(wrap: Element, text: string): void {
  const error = wrap.querySelector<HTMLElement>('[data-error-for]');
  const host = wrap.querySelector('[data-field]');
  if (error) error.textContent = text;
  wrap.classList.toggle('invalid', text !== '');
  const input = host ? (innerControl(host) as Described | null) : null;
  if (!input || !error) return;
  if (text === '') input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  if ('ariaDescribedByElements' in input) input.ariaDescribedByElements = text === '' ? null : [error];
  else if (text === '') (input as HTMLElement).removeAttribute('aria-description');
  else (input as HTMLElement).setAttribute('aria-description', text);
}

export interface Choice {
  value: string;
  text: string;
}

/**
 * Fluent 3.1.3's dropdown makes its combobox a `<button>` it inserts into its light DOM when it
 * connects, with neither a name nor `aria-expanded` until first opened. This names it by the
 * label (and, when given, describes it by an error), states it closed, and keeps Enter on the
 * closed dropdown from opening it and then closing it again through the button's own click.
 */
function fixDropdownControl(dd: HTMLElement, labelId: string, errorId: string | undefined): void {
  const fix = (): void => {
    const control = dd.querySelector<HTMLElement>(':scope > [slot="control"]');
    if (!control || control.dataset.kamFixed === '1') return;
    control.dataset.kamFixed = '1';
    control.setAttribute('aria-labelledby', labelId);
    if (!control.hasAttribute('aria-expanded')) control.setAttribute('aria-expanded', 'false');
    if (errorId) {
      control.setAttribute('aria-describedby', errorId);
      control.setAttribute('aria-invalid', 'true');
    }
    control.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') e.preventDefault();
    });
  };
  new MutationObserver(fix).observe(dd, { childList: true });
}

/** A labelled Fluent dropdown; `errorId` names the element that says what is wrong with its choice. */
export function dropdown(o: {
  label: string;
  name: string;
  value: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
  labelHidden?: boolean;
  errorId?: string;
}): HTMLElement {
  const labelId = uid('lbl');
  const listbox = h('fluent-listbox', {}, ...o.choices.map((c) => h('fluent-option', { value: c.value, selected: c.value === o.value }, c.text)));
  const dd = h(
    'fluent-dropdown',
    {
      'aria-labelledby': labelId,
      name: o.name,
      'data-field': o.name,
      onchange: (e: Event) => o.onChange(valueOf(e.target as Element)),
    },
    listbox,
  );
  fixDropdownControl(dd, labelId, o.errorId);
  return h('div', { class: 'field dropdown-field', 'data-field-wrap': o.name }, h('label', { id: labelId, class: o.labelHidden ? 'visually-hidden' : 'label' }, o.label), dd);
}

/** A Fluent checkbox with its label after it. */
export function checkbox(o: { label: string; name: string; checked: boolean; onChange: (checked: boolean) => void }): HTMLElement {
  const id = uid('cb');
  const box = h('fluent-checkbox', {
    id,
    name: o.name,
    'data-field': o.name,
    checked: o.checked,
    onchange: (e: Event) => o.onChange(Boolean((e.target as HTMLInputElement).checked)),
  });
  return h('fluent-field', { 'label-position': 'after', class: 'check' }, h('label', { slot: 'label', for: id }, o.label), withSlot(box, 'input'));
}

/** A Fluent radio group; each radio labelled after it. */
export function radioGroup(o: {
  label: string;
  name: string;
  value: string;
  choices: ReadonlyArray<Choice & { disabled?: boolean }>;
  onChange: (value: string) => void;
}): HTMLElement {
  const labelId = uid('rg');
  const group = h(
    'fluent-radio-group',
    { 'aria-labelledby': labelId, name: o.name, 'data-field': o.name, value: o.value, orientation: 'vertical', onchange: (e: Event) => o.onChange(valueOf(e.target as Element)) },
    ...o.choices.map((c) => {
      const id = uid('radio');
      const radio = h('fluent-radio', { id, value: c.value, checked: c.value === o.value, disabled: c.disabled ?? false });
      return h('fluent-field', { 'label-position': 'after' }, h('label', { slot: 'label', for: id }, c.text), withSlot(radio, 'input'));
    }),
  );
  return h('div', { class: 'field' }, h('div', { id: labelId, class: 'label' }, o.label), group);
}

function withSlot(el: HTMLElement, slot: string): HTMLElement {
  el.setAttribute('slot', slot);
  return el;
}

export function button(text: string, onClick: () => void, attrs: Record<string, AttrValue> = {}): HTMLElement {
  return h(
    'fluent-button',
    {
      ...attrs,
      onclick: (e: Event) => {
        if ((e.currentTarget as HTMLElement).hasAttribute('disabled')) return;
        onClick();
      },
    },
    text,
  );
}

/**
 * A Fluent message bar. Fluent makes every bar a live region (role status), so each panel drawn
 * would speak all its notices at once; here a bar is a note, and the pane says each result once
 * through its own status region.
 */
export function messageBar(intent: 'info' | 'warning' | 'error' | 'success', text: string, attrs: Record<string, AttrValue> = {}): HTMLElement {
  return h('fluent-message-bar', { intent, layout: 'multiline', role: 'note', ...attrs }, text);
}

/** A plain table with a header row, for lists (knock-outs, explanations). */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly Child[]>, attrs: Record<string, AttrValue> = {}): HTMLElement {
  return h(
    'table',
    { class: 'list', ...attrs },
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
