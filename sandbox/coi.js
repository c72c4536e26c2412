// Cross-origin isolation for hosts that cannot send headers (a static host
// with no header rules): when the page is not isolated, this registers
// sw.js, a service worker that adds COOP/COEP/CORP to every same-origin
// response, and reloads once under its control. Where the server sends the
// headers (`npm run sandbox`), the page is isolated already and this does
// nothing.
if (!window.crossOriginIsolated && window.isSecureContext && 'serviceWorker' in navigator
    && !sessionStorage.getItem('wasmux-coi-reloaded')) {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).then((reg) => {
    const reload = () => { sessionStorage.setItem('wasmux-coi-reloaded', '1'); location.reload(); };
    if (navigator.serviceWorker.controller) reload();
    else (reg.installing || reg.waiting || reg.active)?.addEventListener('statechange', (e) => { if (e.target.state === 'activated') reload(); });
  }).catch((e) => console.error('wasmux: service worker:', e));
}
