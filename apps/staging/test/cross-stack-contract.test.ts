import { describeCrossStackContract } from "../../test-support/cross-stack-contract";
import { buildStaging } from "../src/main";

describeCrossStackContract("staging", (app) => void buildStaging(app), import.meta.dirname);
