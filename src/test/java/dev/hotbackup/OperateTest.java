package dev.hotbackup;

/** Status, health, metrics and operator actions with the pack's YAML routes. */
class OperateTest extends OperateBehaviour {}
