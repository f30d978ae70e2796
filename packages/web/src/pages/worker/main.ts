import { mountPage } from '../../shared/boot.ts';
import './messages.ts';
import Worker from './Worker.vue';

mountPage(Worker);

// The app shell works offline once loaded: the service worker keeps the page and its assets.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m/worker/sw.js', { scope: '/m/worker/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  });
}
