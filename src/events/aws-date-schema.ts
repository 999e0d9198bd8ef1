import { z } from "zod";
import { parseAwsDate } from "./parse-aws-date.js";

/** A date field in parameters or responses: any form parseAwsDate knows, as ms; an unreadable one is null. */
export const awsDateSchema = z.union([z.string(), z.number()]).transform(parseAwsDate);
