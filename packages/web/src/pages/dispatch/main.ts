import { mountPage } from '../../shared/boot.ts';
import Dispatch from './Dispatch.vue';
import './messages.ts';

mountPage(Dispatch);
