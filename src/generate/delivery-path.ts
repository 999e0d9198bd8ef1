function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * CloudTrail's S3 key for one delivered file:
 * `AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz`,
 * stamped with the delivery time (the end of the file's five-minute window).
 */
export function deliveryPath(account: string, region: string, delivered: number, suffix: string): string {
  const date = new Date(delivered);
  const year = pad(date.getUTCFullYear(), 4);
  const month = pad(date.getUTCMonth() + 1);
  const day = pad(date.getUTCDate());
  const stamp = `${year}${month}${day}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}Z`;
  return `AWSLogs/${account}/CloudTrail/${region}/${year}/${month}/${day}/${account}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
}
