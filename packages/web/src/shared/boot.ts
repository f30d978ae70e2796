/** Mounts a page's root component with the shared style. */
import { type Component, createApp } from 'vue';
import './style.css';

export function mountPage(root: Component): void {
  createApp(root).mount('#app');
}
