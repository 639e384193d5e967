variable "condition" {
  type = string
}

variable "container" {
  type    = string
  default = "reports"
}

locals {
  reader_condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'"
}

resource "azurerm_role_assignment" "from_var" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = var.condition
  condition_version    = "2.0"
}

resource "azurerm_role_assignment" "from_local" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = local.reader_condition
}

resource "azurerm_role_assignment" "interpolated" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${var.container}'"
}

resource "azurerm_role_assignment" "templated" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = templatefile("${path.module}/condition.tpl", { container = var.container })
}

resource "azurerm_role_assignment" "formatted" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = format("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '%s'", var.container)
}

resource "azurerm_role_assignment" "directive" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = <<-EOT
    %{ if var.container != "" }@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'%{ endif }
  EOT
}

resource "azurerm_role_assignment" "conditional" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = var.strict ? "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'" : null
}

resource "azurerm_role_assignment" "wrapped" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = "${var.condition}"
}
