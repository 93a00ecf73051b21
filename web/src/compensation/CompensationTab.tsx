import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { CompensationEvidenceDocument, type CompensationStage } from '../gql/graphql';
import { EvidenceSummary } from './EvidenceSummary';

/** What is held and what is missing for a claim stage: for the case's
 *  advocates, and for counsel with a CICA share. */
export function CompensationTab({ caseId }: { caseId: string }) {
  const [stage, setStage] = useState<CompensationStage>('APPLICATION');
  const { data, error } = useQuery(CompensationEvidenceDocument, { caseId, stage });
  return (
    <section aria-label="Compensation evidence">
      <label>Claim stage{' '}
        <select value={stage} onChange={(e) => setStage(e.target.value as CompensationStage)}>
          <option value="APPLICATION">CICA application</option>
          <option value="REVIEW">Review</option>
          <option value="TRIBUNAL_APPEAL">Tribunal appeal</option>
        </select>
      </label>
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {!data ? <p>Loading…</p> : data.compensationEvidence.__typename === 'CompensationEvidence'
        ? <EvidenceSummary evidence={data.compensationEvidence} />
        : <p className="form-error">{data.compensationEvidence.message}</p>}
    </section>
  );
}
