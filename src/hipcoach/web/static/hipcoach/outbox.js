// The outbox: session logs wait on this phone until the server has them. Nothing a runner did is lost.
// Every page of a signed-in runner loads this module (base.html), so a log saved offline is sent on the
// next page load or when the browser comes back online. A retried send carries the same client key, so
// the server stores one log however often it arrives.

const KEY = "hipcoach.outbox";
const sending = new Set();

function read() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "{}");
  } catch {
    return {};
  }
}

function write(entries) {
  localStorage.setItem(KEY, JSON.stringify(entries));
}

export function put(entry) {
  const entries = read();
  entries[entry.payload.client_key] = entry;
  write(entries);
}

export function has(clientKey) {
  return clientKey in read();
}

function drop(clientKey) {
  const entries = read();
  delete entries[clientKey];
  write(entries);
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function announce(clientKey, result) {
  window.dispatchEvent(new CustomEvent("hipcoach:sent", { detail: { clientKey, ...result } }));
}

// Send one entry. Returns {state}: "saved" (the server has it), "offline" (kept), "later" (kept: the
// server could not take it now, e.g. signed out), or "rejected" (the server refused it for good: 409/422).
export async function send(entry) {
  const clientKey = entry.payload.client_key;
  if (!navigator.onLine) return { state: "offline" };
  if (sending.has(clientKey)) return { state: "sending" };
  sending.add(clientKey);
  let response;
  try {
    response = await fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(entry.payload),
    });
  } catch {
    sending.delete(clientKey);
    return { state: "offline" };
  }
  sending.delete(clientKey);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  let result;
  if (response.ok) {
    drop(clientKey);
    result = { state: "saved", status: response.status, body };
  } else if (response.status === 409 || response.status === 422) {
    drop(clientKey);
    result = { state: "rejected", status: response.status, body };
  } else {
    result = { state: "later", status: response.status, body };
  }
  announce(clientKey, result);
  return result;
}

// Send every waiting log of this runner (another runner's stay until they sign in here again).
export async function flush(user) {
  const entries = Object.values(read()).filter((entry) => entry.user === user);
  for (const entry of entries) {
    const result = await send(entry);
    if (result.state === "offline") break;
  }
}

const script = document.querySelector("script[data-outbox-user]");
const user = script ? Number(script.dataset.outboxUser) : null;
if (user !== null) {
  flush(user);
  window.addEventListener("online", () => flush(user));
}
