import { describeBreaks } from "../__fixtures__/break-suite.js";
import {
  addDuplicatesEmail,
  complexReplaceDropsOthers,
  extensionPathRefused,
  noMatchReplaceAccepted,
  pathLessAddIgnored,
  primaryNotCleared,
  removeRequiredAccepted,
} from "../__fixtures__/breaks-patch.js";

describeBreaks([
  [
    "PATCH add without a path is ignored",
    pathLessAddIgnored,
    ["patch.path-less-add", "patch.path-less-extension"],
  ],
  [
    "PATCH paths with an extension URN are not understood",
    extensionPathRefused,
    [
      "patch.add-every-attribute",
      "patch.replace-every-attribute",
      "patch.remove-every-attribute",
      "patch.add-sub-attributes",
      "patch.replace-sub-attributes",
      "patch.remove-sub-attributes",
      "patch.replace-complex-keeps-others",
    ],
  ],
  ["PATCH add duplicates an email the User has", addDuplicatesEmail, ["patch.add-existing-no-duplicate"]],
  ["a new primary email leaves the old one primary", primaryNotCleared, ["patch.primary-exclusive"]],
  [
    "PATCH replace through a filter matching nothing answers 200",
    noMatchReplaceAccepted,
    ["patch.filter-replace-no-match"],
  ],
  ["PATCH remove of a required attribute is accepted", removeRequiredAccepted, ["patch.remove-required"]],
  [
    "PATCH replace of a complex attribute drops the sub-attributes it leaves out",
    complexReplaceDropsOthers,
    ["patch.replace-complex-keeps-others"],
  ],
]);
