import { config } from './config';
import { crash } from './crash';
import { db } from './db';
import { dependency } from './dependency';
import { evicted } from './evicted';
import { image } from './image';
import { oom } from './oom';
import { probe } from './probe';
import { unschedulable } from './unschedulable';

/**
 * Every cause a rule can name. Every rule runs and the ranking picks the verdict; among
 * findings of equal weight the one earlier here wins, so the order is specificity: a
 * pod-level fact first, then what stops the container from starting, then what kills it;
 * `crash` is what is left.
 */
export const CAUSES = [evicted, unschedulable, image, config, oom, db, dependency, probe, crash] as const;

/** A failure cause a rule can name; `healthy`, `unknown` and `stopped` are outcomes, not rules (diagnosis.ts). */
export type FailureCause = (typeof CAUSES)[number]['cause'];
