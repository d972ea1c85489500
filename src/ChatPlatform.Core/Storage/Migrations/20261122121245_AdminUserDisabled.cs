using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatPlatform.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AdminUserDisabled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DisabledAt",
                table: "AdminUsers",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "AdminUsers");
        }
    }
}
