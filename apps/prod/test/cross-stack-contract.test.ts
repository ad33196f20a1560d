import { describeCrossStackContract } from "../../test-support/cross-stack-contract";
import { buildProd } from "../src/main";

describeCrossStackContract("prod", (app) => void buildProd(app), import.meta.dirname);
