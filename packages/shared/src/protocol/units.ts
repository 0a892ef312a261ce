/** Number schemas with their unit in the name, for the fields that carry one (the protocol's units rule). */
import { z } from 'zod';

export const EpochMsSchema = z.int().nonnegative();
export const DurationMsSchema = z.int().nonnegative();
export const SeqSchema = z.int().positive();
