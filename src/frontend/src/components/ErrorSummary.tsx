import type { MouseEvent, Ref } from 'react';

export interface SummaryEntry {
  /** The id of the control the message is about. */
  fieldId: string;
  message: string;
}

/**
 * The problems that stopped a form, listed at its top with a link to each field, as the
 * GOV.UK design system does it. The form moves focus here when a submit fails, so a screen
 * reader hears every problem at once and a keyboard user reaches each field in one step
 * instead of hunting through a long form; the messages also stay under their fields.
 */
export function ErrorSummary({
  entries,
  summaryRef,
  headingLevel = 2,
}: {
  entries: SummaryEntry[];
  summaryRef: Ref<HTMLDivElement>;
  headingLevel?: 2 | 3;
}) {
  if (entries.length === 0) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const goTo = (e: MouseEvent<HTMLAnchorElement>, fieldId: string) => {
    const field = document.getElementById(fieldId);
    if (!field) return;
    // The page's router would treat "#id" as a navigation; focusing the field is the point.
    e.preventDefault();
    field.scrollIntoView?.({ block: 'center' });
    field.focus();
  };
  return (
    <div className="error-summary" ref={summaryRef} tabIndex={-1}>
      <div role="alert">
        <Heading className="error-summary-title">
          {entries.length === 1 ? 'There is a problem' : `There are ${entries.length} problems`}
        </Heading>
        <ul>
          {entries.map((entry) => (
            <li key={entry.fieldId}>
              <a href={`#${entry.fieldId}`} onClick={(e) => goTo(e, entry.fieldId)}>
                {entry.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
