import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LevelAck } from "../cost/types.ts";
import type { AnomalyAlertRecord, CostDay, CostStore, ThresholdBasisKey, Tightening } from "./cost-types.ts";
import { DynamoTable } from "./dynamo-table.ts";

/**
 * The cost watch's items in the janitor table (same table as dynamo-store.ts):
 *
 * | item             | pk                    | sk                          | notes                        |
 * |------------------|-----------------------|-----------------------------|------------------------------|
 * | cost day         | COST#DAY              | <date>                      | `series` map, `final`        |
 * | threshold fired  | COST#THRESHOLD#<scope>| <month>#<percent>#<basis>   | put if absent: once a month  |
 * | open anomaly     | COST#ANOMALY#<series> | OPEN                        | → alert id, last date        |
 * | anomaly alert    | COST#ALERT#<id>       | ALERT                       | channel + ts for the thread  |
 * | acknowledgement  | COST#ACK              | <series>                    | level, from date, by whom    |
 * | tightening       | COST#TIGHTEN#<month>  | <scope>                     | put if absent: once a month  |
 *
 * A daily run reads COST#DAY from 90 days back (one Query, ~90 small items), writes the few
 * refetched days (one PutItem each), and one conditional PutItem per threshold reached.
 */
export class DynamoCostStore implements CostStore {
  readonly #db: DynamoTable;

  constructor({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = new DynamoTable(client, tableName);
  }

  async costDays(from: string): Promise<CostDay[]> {
    const items = await this.#db.queryAll("costDays", {
      KeyConditionExpression: "pk = :pk AND sk >= :from",
      ExpressionAttributeValues: { ":pk": "COST#DAY", ":from": from },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      date: i.sk as string,
      series: i.series as Record<string, number>,
      final: i.final === true,
    }));
  }

  async saveCostDays(days: readonly CostDay[]): Promise<void> {
    for (const d of days) {
      await this.#db.put(
        "saveCostDays",
        { pk: "COST#DAY", sk: d.date, series: d.series, final: d.final },
        null,
      );
    }
  }

  thresholdFired(scope: string, month: string, percent: number, basis: ThresholdBasisKey): Promise<boolean> {
    return this.#db.put("thresholdFired", {
      pk: `COST#THRESHOLD#${scope}`,
      sk: `${month}#${percent}#${basis}`,
      scope,
      month,
      percent,
      basis,
    });
  }

  async openAnomaly(series: string): Promise<AnomalyAlertRecord | undefined> {
    const open = await this.#db.get("openAnomaly", { pk: `COST#ANOMALY#${series}`, sk: "OPEN" });
    return open ? this.anomalyById(open.id as string) : undefined;
  }

  async saveAnomaly(record: AnomalyAlertRecord, isNew: boolean): Promise<boolean> {
    const ok = await this.#db.put(
      "saveAnomaly",
      { pk: `COST#ALERT#${record.id}`, sk: "ALERT", ...record },
      isNew ? "attribute_not_exists(pk)" : null,
    );
    if (ok) {
      await this.#db.put(
        "saveAnomaly",
        { pk: `COST#ANOMALY#${record.series}`, sk: "OPEN", id: record.id, lastDate: record.lastDate },
        null,
      );
    }
    return ok;
  }

  async anomalyById(id: string): Promise<AnomalyAlertRecord | undefined> {
    const item = await this.#db.get("anomalyById", { pk: `COST#ALERT#${id}`, sk: "ALERT" });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = item;
    return record as AnomalyAlertRecord;
  }

  async acknowledgeLevel(series: string, ack: LevelAck & { by: string }): Promise<void> {
    await this.#db.put("acknowledgeLevel", { pk: "COST#ACK", sk: series, ...ack }, null);
  }

  recordTightening(t: Tightening): Promise<boolean> {
    return this.#db.put("recordTightening", {
      pk: `COST#TIGHTEN#${t.month}`,
      sk: t.scope,
      kind: "tightening",
      ...t,
    });
  }

  /** One Query: the month's partition holds every tightened scope (a handful at most). */
  async tighteningsOf(month: string): Promise<Tightening[]> {
    const items = await this.#db.queryAll("tighteningsOf", {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `COST#TIGHTEN#${month}` },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      month: i.month as string,
      scope: i.scope as string,
      budget: i.budget as string,
      percent: i.percent as number,
      at: i.at as string,
    }));
  }

  async acknowledgements(): Promise<Map<string, LevelAck>> {
    const items = await this.#db.queryAll("acknowledgements", {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": "COST#ACK" },
    });
    return new Map(
      items.map((i) => [i.sk as string, { fromDate: i.fromDate as string, levelUsd: i.levelUsd as number }]),
    );
  }
}
