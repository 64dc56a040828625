/** The fault catalogue, shard 1 of 3 (see __fixtures__/fault-catalogue.ts). */
import { describeFaultCatalogue } from './__fixtures__/fault-catalogue.js';

describeFaultCatalogue(0, 3);
