import type { CompensationEvidenceQuery } from '../gql/graphql';

export type Evidence = Extract<CompensationEvidenceQuery['compensationEvidence'], { __typename: 'CompensationEvidence' }>;

type Item = { when: string; text: string };

/** What the record holds for a claim stage, and what it still lacks. */
export function EvidenceSummary({ evidence }: { evidence: Evidence }) {
  const held: [string, Item[]][] = [
    ['Incidents of harm', evidence.incidents.map((i) => ({ when: i.when, text: `${i.summary} (${i.offences.join(', ')})` }))],
    ['Crime reports', evidence.crimeReports.map((i) => ({ when: i.when, text: `${i.summary} — ref. ${i.crimeReference}` }))],
    ['Injuries', evidence.injuries.map((i) => ({ when: i.when, text: `${i.summary} (${i.nature})` }))],
    ['Diagnoses', evidence.diagnoses.map((i) => ({ when: i.when, text: `${i.condition}, by ${i.diagnosedBy.replace(/_/g, ' ')}` }))],
    ['Medico-legal reports', evidence.medicoLegalReports.map((i) => ({ when: i.when, text: i.summary }))],
    ['Losses', evidence.losses.map((i) => ({ when: i.when, text: `${i.kind}${i.amount ? `: £${i.amount}` : ', amount not stated'}` }))],
    ['Own convictions', evidence.convictions.map((i) => ({ when: i.when, text: `${i.sentence}, ${i.status.toLowerCase().replace(/_/g, ' ')}` }))],
    ['NRM decisions', evidence.nrmDecisions.map((i) => ({ when: i.when, text: `${i.decision.toLowerCase().replace(/_/g, ' ')}: ${i.outcome}` }))],
    ['Claim history', evidence.claimHistory.map((i) => ({ when: i.when, text: `${i.label}${i.outcome ? `: ${i.outcome}` : ''}${i.amount ? ` £${i.amount}` : ''}` }))],
  ];
  return (
    <div className="evidence">
      <p>
        {evidence.complete ? 'Nothing this stage needs is missing from the record.' : `${evidence.missing.length} thing(s) missing for this stage.`}{' '}
        Losses stated: £{evidence.lossesTotal}. Residence requirement {evidence.residenceSatisfied ? 'satisfied' : 'not shown'}.
      </p>
      {evidence.missing.length ? (
        <section>
          <h4>Missing</h4>
          <ul>
            {evidence.missing.map((m) => (
              <li key={m.gap}><strong>{m.reason}</strong> <span className="cites">{m.rule.citation}</span></li>
            ))}
          </ul>
        </section>
      ) : null}
      {evidence.notes.length ? (
        <section>
          <h4>Points bearing on the claim</h4>
          <ul>{evidence.notes.map((n) => <li key={n.consideration + n.text}>{n.text} <span className="cites">{n.rule.citation}</span></li>)}</ul>
        </section>
      ) : null}
      <section>
        <h4>Held</h4>
        <dl className="held">
          {held.map(([title, items]) => (
            <div key={title}>
              <dt>{title} ({items.length})</dt>
              {items.length === 0 ? <dd className="empty">none on record</dd> : items.map((item, i) => <dd key={i}><span className="when">{item.when}</span> {item.text}</dd>)}
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
