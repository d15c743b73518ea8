import { describeBreaks } from "../__fixtures__/break-suite.js";
import {
  attributesDropId,
  caseSensitiveUserNameFilter,
  countZeroReturnsResources,
  cursorIgnoresSort,
  cursorRepeatsPage,
  dateTimeAsText,
  excludedAttributesIgnored,
  neAsEq,
  searchNotSupported,
  sortCaseSensitive,
  sortOrderIgnored,
  titleDeclaredRequest,
  userNameDeclaredCaseExact,
  valuePathFlattened,
} from "../__fixtures__/breaks-query.js";

describeBreaks([
  [
    "ne is evaluated as eq",
    neAsEq,
    ["query.filter.string-operators", "query.filter.boolean", "query.filter.complex-sub-attribute"],
  ],
  ["the userName filter is case-sensitive", caseSensitiveUserNameFilter, ["query.filter.case-insensitive"]],
  [
    "sortOrder is ignored",
    sortOrderIgnored,
    ["query.sort.descending", "query.sort.case", "query.cursor.sorted"],
  ],
  ["sorting is case-sensitive", sortCaseSensitive, ["query.sort.case"]],
  ["value paths are flattened", valuePathFlattened, ["query.filter.value-path"]],
  ["excludedAttributes is ignored", excludedAttributesIgnored, ["query.excluded-attributes"]],
  ["attributes drops id", attributesDropId, ["query.attributes", "query.returned-never-and-request"]],
  ["count=0 returns resources", countZeroReturnsResources, ["query.count-zero"]],
  ["a cursor repeats its page", cursorRepeatsPage, ["query.cursor.walk"]],
  ["/.search is not supported", searchNotSupported, ["query.search.endpoint"]],
  [
    'title is declared returned "request" but returned by default',
    titleDeclaredRequest,
    ["query.excluded-attributes", "query.returned-never-and-request"],
  ],
  [
    "userName is declared caseExact and filtered so (consistent: nothing fails)",
    userNameDeclaredCaseExact,
    [],
  ],
  ["dateTime literals are compared as text", dateTimeAsText, ["query.filter.datetime"]],
  ["cursor pages ignore the sort", cursorIgnoresSort, ["query.cursor.sorted"]],
]);
