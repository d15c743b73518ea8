import { describeHome } from "./leaf.js";

export { describeHome };
