export type {
  AttributePath,
  ComparisonFilter,
  ComparisonOperator,
  ComparisonValue,
  Filter,
  LogicalFilter,
  NotFilter,
  Path,
  PresentFilter,
  ValuePathFilter,
} from "./ast.js";
export { COMPARISON_OPERATORS } from "./ast.js";
export { DEFAULT_MAX_FILTER_LENGTH } from "./attribute-path.js";
export type { ComparisonOperand } from "./comparison.js";
export {
  comparisonOperand,
  instant,
  ORDERING_OPERATORS,
  SUBSTRING_OPERATORS,
  valueSubAttribute,
} from "./comparison.js";
export type { CompileOptions, FilterPredicate } from "./compile-filter.js";
export { compileFilter } from "./compile-filter.js";
export { FilterSyntaxError } from "./errors.js";
export type {
  AnyAttributePaths,
  AttributePathInfo,
  AttributePathMap,
  ComplexPath,
  EqualityPath,
  EqualityValue,
  FilterBuilder,
  OrderingPath,
  OrderingValue,
  SubAttributePaths,
  SubstringPath,
} from "./filter-builder.js";
export { filterBuilder } from "./filter-builder.js";
export { parseAttributePath, parseFilter, parsePath } from "./parse-filter.js";
export type { ParseOptions } from "./parse-options.js";
export { DEFAULT_MAX_FILTER_DEPTH } from "./parse-options.js";
export { stringifyFilter, stringifyPath } from "./stringify-filter.js";
