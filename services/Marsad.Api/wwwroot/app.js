// Marsad's page: search with facets and live results, alert subscriptions, feeds. Plain modules, no framework:
// every call is to the api this page is served by (docs/contract.md), and the whole state of a search is in the URL.

const TEXT = {
  ar: {
    skip: 'تخطَّ إلى المحتوى', search: 'البحث', alerts: 'التنبيهات', feeds: 'المصادر', query: 'ابحث في الأخبار',
    searchButton: 'ابحث', queryHint: 'مثال: الناتو AND أوكرانيا، "حلف شمال الأطلسي"، entity:روسيا', facets: 'تصفية',
    topic: 'الموضوع', source: 'المصدر', lang: 'اللغة', entity: 'الأسماء', date: 'التاريخ',
    results: (total, ms) => `${total.toLocaleString('ar')} نتيجة (${ms.toLocaleString('ar')} ميلي ثانية)`, none: 'لا نتائج.',
    newer: 'السابق', older: 'التالي', pages: 'الصفحات', page: (p, n) => `صفحة ${p} من ${n}`, remove: 'أزل',
    live: n => `${n} مادة جديدة تطابق البحث`, newBadge: 'جديد',
    newAlert: 'تنبيه جديد', editAlert: 'تعديل التنبيه', alertName: 'الاسم', alertQuery: 'الاستعلام',
    alertWebhook: 'عنوان webhook (اختياري)', alertEmail: 'البريد الإلكتروني (اختياري)', alertMode: 'الإرسال',
    modeInstant: 'فوراً', modeHourly: 'ملخص كل ساعة', modeDaily: 'ملخص يومي', save: 'احفظ',
    test: 'جرّب على آخر ٧ أيام', cancel: 'إلغاء', edit: 'عدّل', delete: 'احذف', history: 'السجل',
    saved: 'حُفظ التنبيه.', secret: s => `مفتاح توقيع webhook (احفظه، لن يظهر ثانية): ${s}`,
    tested: n => `كان سيطابق ${n} مادة في آخر ٧ أيام.`, confirmDelete: n => `حذف التنبيه «${n}»؟`,
    noAlerts: 'لا تنبيهات بعد.', noHistory: 'لم يُطلق هذا التنبيه بعد.', paused: 'موقوف',
    feedUrl: 'عنوان الموجز أو الموقع', add: 'أضف', opml: 'استيراد قائمة OPML', import: 'استورد',
    feed: 'الموجز', status: 'الحالة', lastFetch: 'آخر جلب', perDay: 'مواد/يوم', actions: 'إجراءات',
    pause: 'أوقف', resume: 'استأنف', added: n => `أُضيف ${n} موجز.`, noFeeds: 'لا مصادر بعد.',
    confirmRemove: u => `إزالة ${u}؟`, never: '—', languageToggle: 'English',
    statuses: { new: 'جديد', ok: 'يعمل', failing: 'يفشل', stalled: 'متوقف عن النشر', paused: 'موقوف' },
    signIn: 'الدخول', keyLabel: 'مفتاح الدخول', keyHint: 'اطلب مفتاحاً من مسؤول مرصد (./marsad keys add).',
    signInButton: 'ادخل', signOut: 'اخرج', signInWith: name => `ادخل عبر ${name}`, roles: { Reader: 'قارئ', Editor: 'محرر', Admin: 'مسؤول' },
  },
  en: {
    skip: 'Skip to content', search: 'Search', alerts: 'Alerts', feeds: 'Feeds', query: 'Search the news',
    searchButton: 'Search', queryHint: 'e.g. الناتو AND أوكرانيا, "NATO summit", entity:روسيا', facets: 'Filters',
    topic: 'Topic', source: 'Source', lang: 'Language', entity: 'Names', date: 'Date',
    results: (total, ms) => `${total.toLocaleString('en')} results (${ms} ms)`, none: 'No results.',
    newer: 'Previous', older: 'Next', pages: 'Pages', page: (p, n) => `Page ${p} of ${n}`, remove: 'Remove',
    live: n => `${n} new article(s) match this search`, newBadge: 'new',
    newAlert: 'New alert', editAlert: 'Edit alert', alertName: 'Name', alertQuery: 'Query',
    alertWebhook: 'Webhook URL (optional)', alertEmail: 'E-mail (optional)', alertMode: 'Delivery',
    modeInstant: 'At once', modeHourly: 'Hourly digest', modeDaily: 'Daily digest', save: 'Save',
    test: 'Test on the last 7 days', cancel: 'Cancel', edit: 'Edit', delete: 'Delete', history: 'History',
    saved: 'Alert saved.', secret: s => `Webhook signing secret (keep it; it is not shown again): ${s}`,
    tested: n => `It would have matched ${n} article(s) in the last 7 days.`, confirmDelete: n => `Delete the alert “${n}”?`,
    noAlerts: 'No alerts yet.', noHistory: 'This alert has not fired yet.', paused: 'paused',
    feedUrl: 'Feed or site address', add: 'Add', opml: 'Import an OPML list', import: 'Import',
    feed: 'Feed', status: 'Status', lastFetch: 'Last fetch', perDay: 'Items/day', actions: 'Actions',
    pause: 'Pause', resume: 'Resume', added: n => `${n} feed(s) added.`, noFeeds: 'No feeds yet.',
    confirmRemove: u => `Remove ${u}?`, never: '—', languageToggle: 'العربية',
    statuses: { new: 'new', ok: 'ok', failing: 'failing', stalled: 'stalled', paused: 'paused' },
    signIn: 'Sign in', keyLabel: 'API key', keyHint: 'Ask a Marsad admin for a key (./marsad keys add).',
    signInButton: 'Sign in', signOut: 'Sign out', signInWith: name => `Sign in with ${name}`, roles: { Reader: 'reader', Editor: 'editor', Admin: 'admin' },
  },
};

// Right-to-left scripts: an article in one of these languages is laid out right to left, whatever the page's language.
const RTL_LANGUAGES = new Set(['ar', 'fa', 'ur', 'ps', 'ug', 'he', 'yi', 'ckb', 'sd']);
const FACETS = ['topic', 'source', 'lang', 'entity', 'date'];
const PAGE_SIZE = 10;

let uiLanguage = localStorage.getItem('marsad.language') || (navigator.language?.startsWith('ar') ? 'ar' : 'en');
const t = key => TEXT[uiLanguage][key];
const $ = selector => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter(child => child !== null && child !== undefined));
  return node;
}

// Highlights are HTML: the article's text escaped, <em> around the matched words. They are parsed inertly (no
// script runs in a DOMParser document) and rebuilt from their text alone, the <em>s as <mark>s.
const snippetParser = new DOMParser();
function highlighted(snippet) {
  const fragment = document.createDocumentFragment();
  for (const node of snippetParser.parseFromString(snippet, 'text/html').body.childNodes) {
    fragment.append(node.nodeName === 'EM' ? element('mark', { text: node.textContent }) : document.createTextNode(node.textContent));
  }
  return fragment;
}

// Who is signed in ({name, role, anonymous}), or null: then the page shows only its sign-in form. The key itself
// lives in an HttpOnly cookie the api sets; this script never holds it after the form is sent.
let session = null;
const ROLE_RANK = { Reader: 0, Editor: 1, Admin: 2 };
const mayUse = view => view === 'search' ? !!session
  : view === 'alerts' ? ROLE_RANK[session?.role] >= ROLE_RANK.Editor
  : view === 'feeds' ? ROLE_RANK[session?.role] >= ROLE_RANK.Admin
  : false;

async function loadSession() {
  const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  session = response.ok ? await response.json() : null;
  if (session) return;
  // Signed out: offer the team's identity provider too, when the api has one for the page.
  const providers = await (await fetch('/api/session/providers', { headers: { Accept: 'application/json' } })).json();
  signInProvider = providers.oidc?.name ?? null;
  // Back from the provider with a refusal: say why, once, and take it out of the address.
  const params = new URLSearchParams(location.search);
  if (params.has('signin-error')) {
    $('#signin-message').classList.add('error');
    $('#signin-message').textContent = params.get('signin-error');
    params.delete('signin-error');
    history.replaceState(null, '', location.pathname + (params.size ? `?${params}` : ''));
  }
}
let signInProvider = null;

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: 'application/json', ...(options.headers || {}) }, ...options });
  if (response.status === 401) {
    // Signed out elsewhere, or the key was revoked: back to the sign-in form.
    session = null;
    render();
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

function formatDate(iso, language) {
  if (!iso) return '';
  const locale = language === 'ar' || (!language && uiLanguage === 'ar') ? 'ar' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

// ---- search -------------------------------------------------------------------------------------------------

/** The search as the URL holds it: q, page, and one value per facet (date as from/to of one day). */
function searchState() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get('q') || '', page: Math.max(1, Number(params.get('page')) || 1) };
  for (const facet of FACETS) state[facet] = params.get(facet) || '';
  return state;
}

function urlFor(state, view = 'search') {
  const params = new URLSearchParams();
  if (view !== 'search') params.set('view', view);
  if (state) {
    if (state.q) params.set('q', state.q);
    for (const facet of FACETS) if (state[facet]) params.set(facet, state[facet]);
    if (state.page > 1) params.set('page', state.page);
  }
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : '');
}

function go(state, view = 'search') {
  history.pushState(null, '', urlFor(state, view));
  render();
}

/** The api's query for a state: the text, with the entity filter as a field clause (the api filters the others). */
function apiQuery(state) {
  const parts = [];
  // "*" (everything) needs no clause beside a filter.
  if (state.q && !(state.entity && state.q.trim() === '*')) parts.push(state.entity ? `(${state.q})` : state.q);
  if (state.entity) parts.push(`entity:"${state.entity.replaceAll('"', '')}"`);
  return parts.join(' AND ');
}

function apiSearchPath(state, extra = {}) {
  const params = new URLSearchParams({ q: apiQuery(state), page: state.page, size: PAGE_SIZE, ...extra });
  for (const facet of ['topic', 'source', 'lang']) if (state[facet]) params.set(facet, state[facet]);
  if (state.date) { params.set('from', state.date); params.set('to', state.date); }
  return `/api/search?${params}`;
}

let liveSource = null;
let liveCount = 0;

async function renderSearch() {
  const state = searchState();
  $('#q').value = state.q;
  renderFilters(state);
  const summary = $('#summary');
  const results = $('#results');
  if (!state.q && !FACETS.some(facet => state[facet])) {
    summary.textContent = '';
    results.replaceChildren();
    $('#facets').replaceChildren($('#facets-heading'));
    $('#pager').replaceChildren();
    followLive(null);
    return;
  }
  summary.textContent = '…';
  try {
    const response = await api(apiSearchPath(state));
    summary.textContent = response.total ? t('results')(response.total, response.tookMs) : t('none');
    results.replaceChildren(...response.hits.map(hit => resultItem(hit, false)));
    renderFacets(state, response.facets || {});
    renderPager(state, response.total);
    followLive(state);
  } catch (error) {
    summary.textContent = error.message;
    summary.classList.add('error');
    results.replaceChildren();
    return;
  }
  summary.classList.remove('error');
}

function resultItem(hit, isNew) {
  const direction = RTL_LANGUAGES.has(hit.lang) ? 'rtl' : 'ltr';
  const state = searchState();
  const chip = (facet, value) => element('li', {}, element('a', {
    href: urlFor({ ...state, [facet]: value, page: 1 }), class: `chip ${facet}`,
    onclick: event => { event.preventDefault(); go({ ...state, [facet]: value, page: 1 }); },
    text: value,
  }));
  return element('li', { class: isNew ? 'result new' : 'result', lang: hit.lang || undefined, dir: direction, 'data-id': hit.id },
    element('h3', {}, element('a', { href: hit.url, rel: 'noopener', target: '_blank', text: hit.title }),
      isNew ? element('span', { class: 'badge', text: t('newBadge') }) : null),
    element('p', { class: 'meta' },
      element('span', { class: 'source', text: hit.source }),
      hit.published ? element('time', { datetime: hit.published, text: formatDate(hit.published, hit.lang) }) : null),
    ...(hit.highlights || []).slice(0, 2).map(snippet => element('p', { class: 'snippet' }, highlighted(snippet))),
    element('ul', { class: 'chips', 'aria-label': t('topic') }, ...(hit.topics || []).map(topic => chip('topic', topic))),
    element('ul', { class: 'chips', 'aria-label': t('entity') }, ...(hit.entities || []).slice(0, 8).map(entity => chip('entity', entity))));
}

function renderFilters(state) {
  const chips = FACETS.filter(facet => state[facet]).map(facet => element('button', {
    type: 'button', class: 'chip active', 'aria-label': `${t('remove')}: ${t(facet)} ${state[facet]}`,
    onclick: () => go({ ...state, [facet]: '', page: 1 }),
  }, `${t(facet)}: `, element('bdi', { text: state[facet] }), ' ×'));
  $('#filters').replaceChildren(...chips);
}

function renderFacets(state, facets) {
  const groups = [];
  for (const facet of ['topic', 'source', 'lang', 'entity']) {
    const values = Object.entries(facets[facet] || {});
    if (!values.length) continue;
    groups.push(element('section', { class: 'facet' },
      element('h4', { text: t(facet) }),
      element('ul', {}, ...values.map(([value, count]) => element('li', {},
        element('a', {
          href: urlFor({ ...state, [facet]: value, page: 1 }),
          'aria-current': state[facet] === value ? 'true' : undefined,
          onclick: event => { event.preventDefault(); go({ ...state, [facet]: state[facet] === value ? '' : value, page: 1 }); },
        }, element('bdi', { text: value }), element('span', { class: 'count', text: count.toLocaleString(uiLanguage) })))))));
  }
  const days = Object.entries(facets.date || {}).sort(([a], [b]) => a.localeCompare(b));
  if (days.length) {
    const most = Math.max(...days.map(([, count]) => count));
    groups.push(element('section', { class: 'facet dates' },
      element('h4', { text: t('date') }),
      element('ol', { class: 'histogram' }, ...days.map(([day, count]) => element('li', {},
        element('a', {
          href: urlFor({ ...state, date: day, page: 1 }), title: `${day}: ${count}`, 'aria-label': `${day}: ${count}`,
          'aria-current': state.date === day ? 'true' : undefined,
          onclick: event => { event.preventDefault(); go({ ...state, date: state.date === day ? '' : day, page: 1 }); },
        }, bar(count / most)))))));
  }
  $('#facets').replaceChildren($('#facets-heading'), ...groups);
}

// Sized through the CSSOM: the page's content security policy refuses style attributes.
function bar(share) {
  const node = element('span', { class: 'bar' });
  node.style.blockSize = `${Math.max(4, Math.round(60 * share))}px`;
  return node;
}

function renderPager(state, total) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (page, label) => element('a', {
    href: urlFor({ ...state, page }), rel: page < state.page ? 'prev' : 'next',
    onclick: event => { event.preventDefault(); go({ ...state, page }); window.scrollTo(0, 0); },
    text: label,
  });
  $('#pager').replaceChildren(...(pages > 1 ? [
    state.page > 1 ? link(state.page - 1, t('newer')) : element('span'),
    element('span', { text: t('page')(state.page, pages) }),
    state.page < pages ? link(state.page + 1, t('older')) : element('span'),
  ] : []));
}

/** New articles matching the search, pushed by the api as they are indexed (server-sent events). */
function followLive(state) {
  liveSource?.close();
  liveSource = null;
  liveCount = 0;
  $('#live').hidden = true;
  if (!state || state.page !== 1) return;
  const params = new URLSearchParams(new URL(apiSearchPath(state), location.href).search);
  liveSource = new EventSource(`/api/live?${params}`);
  liveSource.addEventListener('article', event => {
    const hit = JSON.parse(event.data);
    if ($(`#results [data-id="${CSS.escape(hit.id)}"]`)) return;
    $('#results').prepend(resultItem(hit, true));
    liveCount += 1;
    $('#live').hidden = false;
    $('#live').textContent = t('live')(liveCount);
  });
}

// ---- alerts -------------------------------------------------------------------------------------------------

async function renderAlerts() {
  const list = $('#alert-list');
  try {
    const subscriptions = await api('/api/subscriptions');
    list.replaceChildren(...(subscriptions.length ? subscriptions.map(alertItem) : [element('li', { class: 'empty', text: t('noAlerts') })]));
  } catch (error) {
    list.replaceChildren(element('li', { class: 'error', text: error.message }));
  }
}

function alertItem(subscription) {
  const history = element('div', { class: 'history' });
  const channels = [subscription.webhook && 'webhook', subscription.email && 'e-mail'].filter(Boolean).join(' · ');
  return element('li', { class: 'card', 'data-id': subscription.id },
    element('h3', { dir: 'auto', text: subscription.name }),
    element('p', {}, element('code', { dir: 'auto', text: subscription.query })),
    element('p', { class: 'meta', text: [t(`mode${subscription.mode}`), channels, subscription.enabled ? '' : t('paused')].filter(Boolean).join(' · ') }),
    element('div', { class: 'actions' },
      element('button', { type: 'button', class: 'secondary', text: t('edit'), onclick: () => editAlert(subscription) }),
      element('button', { type: 'button', class: 'secondary', text: t('history'), 'aria-expanded': 'false', onclick: event => toggleHistory(event.currentTarget, subscription, history) }),
      element('button', { type: 'button', class: 'danger', text: t('delete'), onclick: () => deleteAlert(subscription) })),
    history);
}

async function toggleHistory(button, subscription, container) {
  if (button.getAttribute('aria-expanded') === 'true') {
    button.setAttribute('aria-expanded', 'false');
    container.replaceChildren();
    return;
  }
  button.setAttribute('aria-expanded', 'true');
  try {
    const alerts = await api(`/api/subscriptions/${encodeURIComponent(subscription.id)}/alerts`);
    container.replaceChildren(alerts.length
      ? element('ol', {}, ...alerts.slice().reverse().map(alert => element('li', { lang: alert.language, dir: RTL_LANGUAGES.has(alert.language) ? 'rtl' : 'ltr' },
        element('a', { href: alert.url, rel: 'noopener', target: '_blank', text: alert.title }), ' ',
        element('span', { class: 'meta', text: [alert.source, formatDate(alert.raisedAt), (alert.deliveries || []).map(d => `${d.channel}: ${d.status}`).join(', ')].filter(Boolean).join(' · ') }))))
      : element('p', { text: t('noHistory') }));
  } catch (error) {
    container.replaceChildren(element('p', { class: 'error', text: error.message }));
  }
}

function editAlert(subscription) {
  const form = $('#alert-form');
  form.elements.id.value = subscription.id;
  form.elements.name.value = subscription.name;
  form.elements.query.value = subscription.query;
  form.elements.webhook.value = subscription.webhook || '';
  form.elements.email.value = subscription.email || '';
  form.elements.mode.value = subscription.mode;
  $('#alert-form-heading').textContent = t('editAlert');
  $('#alert-cancel').hidden = false;
  form.elements.name.focus();
}

function resetAlertForm() {
  const form = $('#alert-form');
  form.reset();
  form.elements.id.value = '';
  $('#alert-form-heading').textContent = t('newAlert');
  $('#alert-cancel').hidden = true;
  $('#alert-test-results').replaceChildren();
}

async function saveAlert(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const message = $('#alert-message');
  const body = {
    name: form.elements.name.value.trim(), query: form.elements.query.value.trim(),
    webhook: form.elements.webhook.value.trim(), email: form.elements.email.value.trim(), mode: form.elements.mode.value,
  };
  const id = form.elements.id.value;
  try {
    const saved = id
      ? await api(`/api/subscriptions/${encodeURIComponent(id)}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      : await api('/api/subscriptions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, webhook: body.webhook || null, email: body.email || null }) });
    message.classList.remove('error');
    message.textContent = t('saved') + (saved?.secret ? ` ${t('secret')(saved.secret)}` : '');
    resetAlertForm();
    await renderAlerts();
  } catch (error) {
    message.classList.add('error');
    message.textContent = error.message;
  }
}

async function testAlert() {
  const form = $('#alert-form');
  const query = form.elements.query.value.trim();
  const message = $('#alert-message');
  const container = $('#alert-test-results');
  if (!query) { form.elements.query.focus(); return; }
  const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  try {
    const response = await api(`/api/search?${new URLSearchParams({ q: query, from: weekAgo, size: 5 })}`);
    message.classList.remove('error');
    message.textContent = t('tested')(response.total);
    container.replaceChildren(element('ol', { class: 'results compact' }, ...response.hits.map(hit => resultItem(hit, false))));
  } catch (error) {
    message.classList.add('error');
    message.textContent = error.message;
    container.replaceChildren();
  }
}

async function deleteAlert(subscription) {
  if (!confirm(t('confirmDelete')(subscription.name))) return;
  try {
    await api(`/api/subscriptions/${encodeURIComponent(subscription.id)}`, { method: 'DELETE' });
  } catch (error) {
    $('#alert-message').textContent = error.message;
  }
  await renderAlerts();
}

// ---- feeds --------------------------------------------------------------------------------------------------

async function renderFeeds() {
  const body = $('#feed-table tbody');
  try {
    const feeds = await api('/api/feeds');
    body.replaceChildren(...(feeds.length ? feeds.map(feedRow) : [element('tr', {}, element('td', { colspan: 5, text: t('noFeeds') }))]));
  } catch (error) {
    body.replaceChildren(element('tr', {}, element('td', { colspan: 5, class: 'error', text: error.message })));
  }
}

function feedRow(feed) {
  const status = (feed.status || '').toLowerCase();
  return element('tr', { 'data-id': feed.id },
    element('td', {},
      element('div', { dir: 'auto', class: 'feed-title', text: feed.title || feed.url }),
      element('div', { dir: 'ltr', class: 'meta' }, element('a', { href: feed.url, rel: 'noopener', target: '_blank', text: feed.url })),
      feed.lastError ? element('div', { class: 'meta error', dir: 'auto', text: feed.lastError }) : null),
    element('td', {}, element('span', { class: `status ${status}`, text: t('statuses')[status] || status })),
    element('td', { text: feed.lastFetchAt ? formatDate(feed.lastFetchAt) : t('never') }),
    element('td', { text: feed.itemsPerDay == null ? t('never') : feed.itemsPerDay.toFixed(1) }),
    element('td', { class: 'actions' },
      element('button', { type: 'button', class: 'secondary', text: status === 'paused' ? t('resume') : t('pause'),
        onclick: () => changeFeed(feed, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ paused: status !== 'paused' }) }) }),
      element('button', { type: 'button', class: 'danger', text: t('delete'),
        onclick: () => confirm(t('confirmRemove')(feed.url)) && changeFeed(feed, { method: 'DELETE' }) })));
}

async function changeFeed(feed, request) {
  try {
    await api(`/api/feeds/${encodeURIComponent(feed.id)}`, request);
  } catch (error) {
    $('#feed-message').textContent = error.message;
  }
  await renderFeeds();
}

async function addFeeds(request) {
  const message = $('#feed-message');
  try {
    const added = await api(request.path, request.options);
    message.classList.remove('error');
    message.textContent = t('added')(added.feeds.length) + (added.warning ? ` ${added.warning}` : '');
    await renderFeeds();
    return true;
  } catch (error) {
    message.classList.add('error');
    message.textContent = error.message;
    return false;
  }
}

// ---- page ---------------------------------------------------------------------------------------------------

function currentView() {
  if (!session) return 'signin';
  const view = new URLSearchParams(location.search).get('view');
  return ['alerts', 'feeds'].includes(view) && mayUse(view) ? view : 'search';
}

function showSession() {
  $('#signin-provider').hidden = !signInProvider;
  if (signInProvider) $('#signin-provider').textContent = t('signInWith')(signInProvider);
  for (const link of document.querySelectorAll('nav [data-view-link]')) link.hidden = !mayUse(link.dataset.viewLink);
  $('.top nav').hidden = !session;
  $('#who').hidden = !session || session.anonymous;
  if (session) $('#who-name').textContent = `${session.name} · ${t('roles')[session.role] ?? session.role}`;
}

function applyLanguage() {
  document.documentElement.lang = uiLanguage;
  document.documentElement.dir = uiLanguage === 'ar' ? 'rtl' : 'ltr';
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  $('#filters').setAttribute('aria-label', t('facets'));
  $('#pager').setAttribute('aria-label', t('pages'));
  $('#language-toggle').textContent = t('languageToggle');
  $('#language-toggle').lang = uiLanguage === 'ar' ? 'en' : 'ar';
}

async function render() {
  // Empty while the view is being drawn: tests (and assistive tools) can tell a settled page from one in flux.
  document.body.dataset.ready = '';
  const view = currentView();
  showSession();
  for (const section of document.querySelectorAll('[data-view]')) section.hidden = section.dataset.view !== view;
  for (const link of document.querySelectorAll('nav [data-view-link]')) {
    if (link.dataset.viewLink === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (view !== 'search') followLive(null);
  if (view === 'search') await renderSearch();
  if (view === 'alerts') await renderAlerts();
  if (view === 'feeds') await renderFeeds();
  document.body.dataset.ready = view;
}

$('#search-form').addEventListener('submit', event => {
  event.preventDefault();
  go({ ...searchState(), q: $('#q').value.trim(), page: 1 });
});
for (const link of document.querySelectorAll('[data-view-link]')) {
  link.addEventListener('click', event => {
    event.preventDefault();
    go(link.dataset.viewLink === 'search' ? searchState() : null, link.dataset.viewLink);
  });
}
$('#signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  const field = $('#signin-key');
  const response = await fetch('/api/session', {
    method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify({ key: field.value.trim() }),
  });
  field.value = '';
  if (!response.ok) {
    $('#signin-message').classList.add('error');
    try { $('#signin-message').textContent = (await response.json()).detail; } catch { $('#signin-message').textContent = response.statusText; }
    return;
  }
  $('#signin-message').textContent = '';
  session = await response.json();
  render();
});
$('#sign-out').addEventListener('click', async () => {
  await fetch('/api/session', { method: 'DELETE' });
  session = null;
  followLive(null);
  render();
});
$('#alert-form').addEventListener('submit', saveAlert);
$('#alert-test').addEventListener('click', testAlert);
$('#alert-cancel').addEventListener('click', resetAlertForm);
$('#feed-form').addEventListener('submit', async event => {
  event.preventDefault();
  const url = event.currentTarget.elements.url.value.trim();
  if (await addFeeds({ path: '/api/feeds', options: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) } })) {
    $('#feed-url').value = '';
  }
});
$('#opml-form').addEventListener('submit', async event => {
  event.preventDefault();
  const file = $('#opml-file').files[0];
  if (!file) { $('#opml-file').focus(); return; }
  await addFeeds({ path: '/api/feeds/import', options: { method: 'POST', headers: { 'Content-Type': 'text/x-opml' }, body: await file.text() } });
});
$('#language-toggle').addEventListener('click', () => {
  uiLanguage = uiLanguage === 'ar' ? 'en' : 'ar';
  localStorage.setItem('marsad.language', uiLanguage);
  applyLanguage();
  render();
});
window.addEventListener('popstate', render);

applyLanguage();
loadSession().then(render);
