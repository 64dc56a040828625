/** The fault catalogue, shard 3 of 3 (see __fixtures__/fault-catalogue.ts). */
import { describeFaultCatalogue } from './__fixtures__/fault-catalogue.js';

describeFaultCatalogue(2, 3);
