import { mountPage } from '../../shared/boot.ts';
import Citizen from './Citizen.vue';
import './messages.ts';

mountPage(Citizen);
