export * from "./airflow-environment";
export * from "./execution-role";
