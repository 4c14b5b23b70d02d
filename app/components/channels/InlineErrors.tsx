import { InlineError } from "@shopify/polaris";
import { useId } from "react";
import type { PathError } from "./mapping-draft";

/** The server's validation errors for one part of the form, each with where in that part it is. */
export function InlineErrors({ errors }: { errors: readonly PathError[] }) {
  const id = useId();
  if (errors.length === 0) return null;
  return (
    <div role="alert">
      {errors.map((error, index) => (
        <InlineError key={index} fieldID={`${id}-${index}`} message={error.path ? `${error.path}: ${error.message}` : error.message} />
      ))}
    </div>
  );
}
