import { mountPage } from '../../shared/boot.ts';
import './messages.ts';
import Screen from './Screen.vue';

mountPage(Screen);
